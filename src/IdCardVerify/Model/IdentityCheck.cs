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

        /// <summary>The card's ID number is the row's; the name was not compared (the row gives none, or one not written in Chinese characters).</summary>
        IdNumberOnly,

        /// <summary>The card's name is the row's; the row gives no ID number to compare.</summary>
        NameOnly,

        /// <summary>
        /// The card's ID number is the row's (or the row gives none), and its name is the row's written another way
        /// (traditional or simplified characters, a middle dot, spaces, a dotted name's order): check the spelling in
        /// the HR record; not somebody else's card.
        /// </summary>
        NameWrittenOtherwise,
    }
}
