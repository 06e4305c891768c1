using System;
using System.IO;
using System.Text;

namespace IdCardVerify.Bulk
{
    /// <summary>Reads UTF-8 lines from the current position, knowing where each starts; holds one line at a time.</summary>
    internal sealed class LineReader
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer;
        private readonly MemoryStream _line = new MemoryStream();
        private long _position;
        private int _count;
        private int _next;

        public LineReader(Stream stream, int bufferSize = 64 * 1024)
        {
            _stream = stream;
            _buffer = new byte[bufferSize];
            _position = stream.Position;
        }

        /// <summary>True once the end of the file was reached (so a line returned then had no newline).</summary>
        public bool AtEnd { get; private set; }

        public bool EndedWithNewline { get; private set; } = true;

        /// <summary>The next line without its newline, or null at the end; <paramref name="offset"/> is where it starts.</summary>
        public string? Next(out long offset)
        {
            offset = _position;
            _line.SetLength(0);
            while (true)
            {
                if (_next == _count)
                {
                    _count = _stream.Read(_buffer, 0, _buffer.Length);
                    _next = 0;
                    if (_count == 0)
                    {
                        AtEnd = true;
                        if (_line.Length == 0)
                        {
                            return null;
                        }

                        EndedWithNewline = false;
                        return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
                    }
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _next, _count - _next);
                var end = newline < 0 ? _count : newline;
                _line.Write(_buffer, _next, end - _next);
                _position += end - _next;
                _next = end;
                if (newline >= 0)
                {
                    _next++;
                    _position++;
                    return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
                }
            }
        }
    }
}
