using System;

namespace IdCardVerify
{
    /// <summary>The OCR warnings the API reports, as flags so one result can carry several.</summary>
    [Flags]
    public enum IdCardWarning
    {
        None = 0,
        /// <summary>-9101: the card's border is incomplete.</summary>
        BorderIncomplete = 1,
        /// <summary>-9102: the image is a photocopy.</summary>
        Photocopy = 2,
        /// <summary>-9103: the image was re-photographed from a screen.</summary>
        Reshoot = 4,
        /// <summary>-9104: a temporary ID card.</summary>
        TemporaryId = 8,
        /// <summary>-9105: something covers part of the card.</summary>
        Covered = 16,
        /// <summary>-9106: the image looks tampered with (PS).</summary>
        Tampered = 32,
        /// <summary>-8001: the image is blurred.</summary>
        Blurred = 64,
    }
}
