using System;

namespace IdCardVerify.Settings
{
    /// <summary>What kind of setup problem stopped a command before its first call; decides the error category.</summary>
    internal enum SetupFailure
    {
        InvalidArgument,
        Authentication,
        WriteError,
        OpenError,
        ResourceBusy,
        InvalidData,
    }

    /// <summary>
    /// A problem with a command's options or resources (an endpoint, a config, the token, the journal),
    /// found before any call is made. The cmdlet turns it into one terminating error with
    /// <see cref="ErrorId"/>; <see cref="Error"/> is the exception the error record carries.
    /// </summary>
    internal sealed class RunSetupException : Exception
    {
        public RunSetupException(string errorId, SetupFailure failure, Exception error)
            : base(error.Message, error)
        {
            ErrorId = errorId;
            Failure = failure;
            Error = error;
        }

        public string ErrorId { get; }

        public SetupFailure Failure { get; }

        public Exception Error { get; }

        /// <summary>What the error is about (the error record's TargetObject): the value given, when there is one.</summary>
        public object? Target { get; set; }

        public static RunSetupException InvalidArgument(string errorId, string message, object? target) =>
            new RunSetupException(errorId, SetupFailure.InvalidArgument, new ArgumentException(message)) { Target = target };
    }
}
