using IdCardVerify.TestServer;

// Usage: IdCardVerify.TestServer [--port N] [--token T] [--latency-ms N] [--rate-limit N] [--error-rate P] [--drop-rate P] [--stall-rate P]
// Prints "LISTENING <endpoint>" once ready, then serves until stdin closes or the process is killed.
var options = new EmulatorOptions();
var port = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[++i]); break;
        case "--token": options.Token = args[++i]; break;
        case "--latency-ms": options.Latency = TimeSpan.FromMilliseconds(int.Parse(args[++i])); break;
        case "--rate-limit": options.RateLimit = int.Parse(args[++i]); break;
        case "--error-rate": options.ErrorRate = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--drop-rate": options.DropRate = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--stall-rate": options.StallRate = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
    }
}

await using var emulator = await Emulator.StartAsync(options, port);
Console.WriteLine("LISTENING " + emulator.Endpoint);
Console.Out.Flush();

// Ends when the parent closes our stdin (or kills us): a test run never leaves a server behind.
await Task.Run(() =>
{
    while (Console.In.ReadLine() != null)
    {
    }
});
