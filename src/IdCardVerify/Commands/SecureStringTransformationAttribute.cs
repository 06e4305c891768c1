using System.Management.Automation;
using System.Security;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Lets -Token take a plain string too (runbooks read tokens as text from variables); it is
    /// turned into a SecureString at binding, before the cmdlet sees it.
    /// </summary>
    internal sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case string plain:
                    return TokenChain.ToSecure(plain);
                default:
                    throw new ArgumentTransformationMetadataException(Text.Token_NotText);
            }
        }
    }
}
