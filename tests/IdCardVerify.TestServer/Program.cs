using IdCardVerify.TestServer;

// Usage: IdCardVerify.TestServer [--port N] [--token T] [--latency-ms N] [--rate-limit N] [--error-rate P] [--drop-rate P] [--stall-rate P]
//        IdCardVerify.TestServer --proxy [--proxy-user U --proxy-password P]
// Prints "LISTENING <endpoint>" (or "PROXY <address>") once ready, then serves until stdin closes or the process is killed.
if (args.Length > 1 && args[0] == "--make-images")
{
    ImageFixtures.Write(args[1]);
    return;
}

if (args.Length > 0 && args[0] == "--proxy")
{
    string? user = null, password = null;
    for (var i = 1; i < args.Length - 1; i++)
    {
        switch (args[i])
        {
            case "--proxy-user": user = args[++i]; break;
            case "--proxy-password": password = args[++i]; break;
        }
    }

    await using var proxy = ForwardProxy.Start(user, password);
    Console.WriteLine("PROXY " + proxy.Address);
    Console.Out.Flush();
    while (Console.In.ReadLine() is string line)
    {
        // "count" asks how many requests were forwarded and refused, for the tests.
        if (line == "count")
        {
            Console.WriteLine($"FORWARDED {proxy.Forwarded} REFUSED {proxy.Refused}");
            Console.Out.Flush();
        }
    }

    return;
}

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
