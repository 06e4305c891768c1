using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace IdCardVerify.Settings
{
    /// <summary>DPAPI (CurrentUser scope) through crypt32, so no extra package ships for one Windows call.</summary>
    internal static class Dpapi
    {
        private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("IdCardVerify token v1");

        public static string Protect(string plain) => Convert.ToBase64String(Transform(Encoding.UTF8.GetBytes(plain), protect: true));

        public static string Unprotect(string base64) => Encoding.UTF8.GetString(Transform(Convert.FromBase64String(base64), protect: false));

        private static byte[] Transform(byte[] input, bool protect)
        {
            var inBlob = new DataBlob();
            var entropyBlob = new DataBlob();
            var outBlob = new DataBlob();
            var inHandle = GCHandle.Alloc(input, GCHandleType.Pinned);
            var entropyHandle = GCHandle.Alloc(Entropy, GCHandleType.Pinned);
            try
            {
                inBlob.Size = input.Length;
                inBlob.Data = inHandle.AddrOfPinnedObject();
                entropyBlob.Size = Entropy.Length;
                entropyBlob.Data = entropyHandle.AddrOfPinnedObject();
                const int UiForbidden = 0x1;
                var ok = protect
                    ? CryptProtectData(ref inBlob, null, ref entropyBlob, IntPtr.Zero, IntPtr.Zero, UiForbidden, ref outBlob)
                    : CryptUnprotectData(ref inBlob, IntPtr.Zero, ref entropyBlob, IntPtr.Zero, IntPtr.Zero, UiForbidden, ref outBlob);
                if (!ok)
                {
                    throw new CryptographicFailure(Words.Format(Text.Store_DpapiFailed, Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture)));
                }

                var output = new byte[outBlob.Size];
                Marshal.Copy(outBlob.Data, output, 0, outBlob.Size);
                return output;
            }
            finally
            {
                inHandle.Free();
                entropyHandle.Free();
                if (outBlob.Data != IntPtr.Zero)
                {
                    LocalFree(outBlob.Data);
                }
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct DataBlob
        {
            public int Size;
            public IntPtr Data;
        }

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptProtectData(ref DataBlob dataIn, string? description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob dataOut);

        [DllImport("kernel32.dll")]
        private static extern IntPtr LocalFree(IntPtr memory);
    }
}
