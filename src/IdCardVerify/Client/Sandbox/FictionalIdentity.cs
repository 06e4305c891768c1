using System;
using System.Globalization;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>An obviously fictional identity, the same for the same URL every time.</summary>
    internal sealed class FictionalIdentity
    {
        private static readonly string[] Surnames = { "张", "李", "王", "赵", "陈", "刘" };
        private static readonly string[] GivenNames = { "测试", "示例", "沙盒", "演示", "样本", "模拟" };

        public static readonly FictionalIdentity Empty = new FictionalIdentity();

        public string Name { get; private set; } = string.Empty;

        public string Sex { get; private set; } = string.Empty;

        public string Nation { get; private set; } = string.Empty;

        public string Birth { get; private set; } = string.Empty;

        public string Address { get; private set; } = string.Empty;

        public string IdNumber { get; private set; } = string.Empty;

        public static FictionalIdentity From(uint hash)
        {
            var birth = new DateTime(1960, 1, 1).AddDays(hash % (40 * 365));
            var male = (hash >> 8) % 2 == 0;
            var sequence = (int)((hash >> 12) % 500) * 2 + (male ? 1 : 0);
            var body = "110101" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("000", CultureInfo.InvariantCulture);
            return new FictionalIdentity
            {
                Name = Surnames[(hash >> 4) % Surnames.Length] + GivenNames[(hash >> 16) % GivenNames.Length],
                Sex = male ? "男" : "女",
                Nation = "汉",
                Birth = birth.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
                Address = $"沙盒省演示市测试路{1 + hash % 999}号",
                IdNumber = body + IdNumbers.IdNumberValidator.CheckCharacter(body),
            };
        }

        /// <summary>The same card misread: another birth date and sex printed, and a wrong check character.</summary>
        public FictionalIdentity Disagreeing()
        {
            var wrongCheck = IdNumber[17] == '0' ? '1' : '0';
            return new FictionalIdentity
            {
                Name = Name,
                Sex = Sex == "男" ? "女" : "男",
                Nation = Nation,
                Birth = "1999/12/31",
                Address = Address,
                IdNumber = IdNumber.Substring(0, 17) + wrongCheck,
            };
        }
    }
}
