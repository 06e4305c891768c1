namespace IdCardVerify
{
    /// <summary>
    /// Whether the card is the row's person: its ID number and name against -ExpectedIdNumber and -ExpectedName.
    /// The API proves a card genuine; this says whose it is. A runbook accepts <c>Same</c> (or <c>NotChecked</c> where
    /// the sheet has no such column).
    /// </summary>
    public enum IdentityCheck
    {
        /// <summary>No expected ID number or Chinese name was given, or the card's were not read.</summary>
        NotChecked,

        /// <summary>Every value given is the card's.</summary>
        Same,

        /// <summary>The card's ID number is not the row's.</summary>
        IdNumberDiffers,

        /// <summary>The card's name is not the row's (compared only when the row's name is written in Chinese characters).</summary>
        NameDiffers,

        /// <summary>Neither the ID number nor the name is the row's.</summary>
        BothDiffer,
    }
}
