using System;
using System.IO;

namespace IdCardVerify.Bulk
{
    /// <summary>Another run holds the journal.</summary>
    internal sealed class JournalInUseException : IOException
    {
        public JournalInUseException(string path, Exception inner)
            : base(Words.Format(Text.Journal_InUse, path), inner)
        {
        }
    }

    /// <summary>Something is at the journal's path that is not this user's own private file: nothing is written to it.</summary>
    internal sealed class JournalNotOwnException : IOException
    {
        public JournalNotOwnException(string path, string problem)
            : base(Words.Format(Text.Journal_NotOwn, path, problem))
        {
        }
    }

    /// <summary>The journal was written under other settings than this run's.</summary>
    internal sealed class JournalMismatchException : IOException
    {
        public JournalMismatchException(string path, string how)
            : base(Words.Format(Text.Journal_Mismatch, path, how))
        {
        }
    }
}
