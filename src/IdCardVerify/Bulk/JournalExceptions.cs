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

    /// <summary>Something is at the journal's path that is not this user's own private file: nothing is written to it.</summary>
    internal sealed class JournalNotOwnException : IOException
    {
        public JournalNotOwnException(string path, string problem)
            : base($"The checkpoint journal '{path}' is not used: {problem}. A journal holds names and ID numbers, so it must be your own regular file that only you can read (0600). Give -CheckpointPath a path in a folder of your own (a new file is created there), or, if the file is yours, delete it and run again.")
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
