using System.Management.Automation.Runspaces;

namespace IdCardVerify.Commands
{
    /// <summary>What names "this PowerShell session" for Process-scope settings: the runspace the command runs in.</summary>
    internal static class Session
    {
        public static object? Key => Runspace.DefaultRunspace;
    }
}
