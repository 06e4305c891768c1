using System;
using System.IO;

namespace IdCardVerify.Bulk
{
    /// <summary>Another run holds the journal.</summary>
    internal sealed class JournalInUseException : IOException
    {
        public JournalInUseException(string path, Exception inner)
            : base($"The checkpoint journal '{path}' is in use by another run (it holds the journal's lock). Wait for that run to end, or give this run another -CheckpointPath.", inner)
        {
        }
    }

    /// <summary>The journal was written under other settings than this run's.</summary>
    internal sealed class JournalMismatchException : IOException
    {
        public JournalMismatchException(string path, string how)
            : base($"The checkpoint journal '{path}' was written {how}. Its answers are not this run's, so none was reused. Give this run another -CheckpointPath, or add -RestartCheckpoint to move the old journal aside and begin a new one.")
        {
        }
    }
}
