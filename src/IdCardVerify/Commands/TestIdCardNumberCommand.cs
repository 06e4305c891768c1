using System;
using System.Management.Automation;
using IdCardVerify.Commands;
using IdCardVerify.IdNumbers;

namespace IdCardVerify
{
    /// <summary>Checks an ID number offline against GB 11643-1999.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "IdCardNumber")]
    [OutputType(typeof(bool), typeof(IdNumberReport))]
    public sealed class TestIdCardNumberCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("id_num", "IdCardNumber")]
        [AllowNull]
        [AllowEmptyString]
        public string? IdNumber { get; set; }

        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override void BeginProcessing() => DebugSwitch.MakeSafe(this);

        protected override void ProcessRecord()
        {
            var report = IdNumberValidator.Check(IdNumber);
            if (Detailed)
            {
                WriteObject(report);
            }
            else
            {
                WriteObject(report.IsValid);
            }
        }
    }
}
