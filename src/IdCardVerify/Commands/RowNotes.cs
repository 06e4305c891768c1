using System.Collections.Generic;
using System.Management.Automation;

namespace IdCardVerify.Commands
{
    /// <summary>What Invoke-IdCardVerification says once in -Verbose about its rows: the column it uses, the identity columns found, names not compared.</summary>
    internal sealed class RowNotes
    {
        private bool _saidNameNotCompared;
        private bool _saidIdentityColumns;

        /// <summary>The notes due at <paramref name="item"/> (each said once a run).</summary>
        public IEnumerable<string> For(PipelineItem item, PSObject? input, ColumnChoice columns)
        {
            if (columns.SayOnce != null)
            {
                yield return Shown.Message(columns.SayOnce);
                columns.SayOnce = null;
            }

            if (!_saidIdentityColumns && input != null && !(input.BaseObject is string))
            {
                _saidIdentityColumns = true;
                if (RowColumns.IdentityColumns(PipelineInput.Columns(input)) is string names)
                {
                    yield return Shown.Message(names);
                }
            }

            if (item.Expected.NameNotComparable && !_saidNameNotCompared)
            {
                _saidNameNotCompared = true;
                yield return Text.Notes_NameNotCompared;
            }
        }
    }
}
