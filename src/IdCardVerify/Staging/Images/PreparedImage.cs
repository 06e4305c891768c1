namespace IdCardVerify.Staging.Images
{
    /// <summary>A local file made ready for the API: its bytes as sent (the original's, or a shrunk or turned copy).</summary>
    internal sealed class PreparedImage
    {
        public PreparedImage(byte[] bytes, string contentType, int width, int height, bool changed, string? change)
        {
            Bytes = bytes;
            ContentType = contentType;
            Width = width;
            Height = height;
            Changed = changed;
            Change = change;
        }

        public byte[] Bytes { get; }

        public string ContentType { get; }

        public int Width { get; }

        public int Height { get; }

        /// <summary>True when these are not the file's own bytes (shrunk, or turned upright).</summary>
        public bool Changed { get; }

        /// <summary>What was done, for -Verbose ("shrunk from 4032x3024, 5.1 MB to 2400x1800, 1.2 MB").</summary>
        public string? Change { get; }
    }
}
