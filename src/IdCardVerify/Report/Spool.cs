using System;
using System.IO;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Report
{
    /// <summary>A temporary file that one group of the page is written to as rows arrive.</summary>
    internal sealed class Spool : IDisposable
    {
        private string? _path;
        private StreamWriter? _writer;

        public void Write(string html)
        {
            if (_writer == null)
            {
                _path = System.IO.Path.GetTempFileName();
                PrivateFiles.Restrict(_path);
                _writer = new StreamWriter(_path, append: false, new UTF8Encoding(false));
            }

            _writer.Write(html);
        }

        public void CopyTo(TextWriter target)
        {
            if (_writer == null)
            {
                return;
            }

            _writer.Flush();
            _writer.Dispose();
            _writer = null;
            using (var reader = new StreamReader(_path!, Encoding.UTF8))
            {
                var buffer = new char[64 * 1024];
                int read;
                while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    target.Write(buffer, 0, read);
                }
            }

            Delete();
        }

        public void Dispose()
        {
            _writer?.Dispose();
            _writer = null;
            Delete();
        }

        private void Delete()
        {
            if (_path != null)
            {
                try
                {
                    File.Delete(_path);
                }
                catch (IOException)
                {
                }

                _path = null;
            }
        }
    }
}
