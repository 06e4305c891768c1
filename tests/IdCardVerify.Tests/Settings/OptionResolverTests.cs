using IdCardVerify.Contract;
using IdCardVerify.Settings;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The one rule every option follows: parameter, then session, then CurrentUser store, then default.</summary>
public class OptionResolverTests
{
    private static SettingsValues Configured(double? sessionThreshold, double? storedThreshold, int? storedThrottle = null)
    {
        var session = new SettingsValues { Threshold = sessionThreshold };
        var stored = new SettingsValues { Threshold = storedThreshold, ThrottleLimit = storedThrottle };
        return session.Over(stored);
    }

    [Theory]
    [InlineData(90.0, 80.0, 75.0, 90.0)]   // the parameter wins
    [InlineData(null, 80.0, 75.0, 80.0)]   // then the session
    [InlineData(null, null, 75.0, 75.0)]   // then the store
    [InlineData(null, null, null, Defaults.Threshold)]
    public void Each_source_wins_over_the_ones_after_it(double? parameter, double? session, double? stored, double expected)
    {
        var bound = new Dictionary<string, object>();
        if (parameter.HasValue)
        {
            bound["Threshold"] = parameter.Value;
        }

        var pick = new OptionResolver(Configured(session, stored), bound);
        Assert.Equal(expected, pick.Pick("Threshold", v => v.Threshold, Defaults.Threshold));
    }

    [Fact]
    public void A_run_resolves_every_option_in_one_place()
    {
        var bound = new Dictionary<string, object> { ["Threshold"] = 85.0, ["MaxRetries"] = 0 };
        var options = RunOptions.Resolve(bound, Configured(null, 60.0, storedThrottle: 16), path => "/resolved/" + path, inputCount: 3);

        Assert.Equal(85.0, options.Threshold);
        Assert.Equal(0, options.MaxRetries);
        Assert.Equal(16, options.ThrottleLimit);
        Assert.Equal(Defaults.TimeoutSec, options.TimeoutSec);
        Assert.Equal(Defaults.RequestsPerSecond, options.RequestsPerSecond);
        Assert.Equal(3, options.TotalCount);
        Assert.Null(options.ConfigJson);
        Assert.Equal(Client.IdCardVerifyClient.DefaultEndpoint, options.Endpoint);
    }

    [Fact]
    public void Configured_warning_checks_are_changed_by_the_switches_given()
    {
        var configured = new SettingsValues { WarningChecks = WarningChecks.Copy | WarningChecks.Reshoot };
        var bound = new Dictionary<string, object>
        {
            ["ReshootWarn"] = false,
            ["QualityWarn"] = true,
        };
        Assert.Equal(WarningChecks.Copy | WarningChecks.Quality, new OptionResolver(configured, bound).Checks);
        Assert.Equal(WarningChecks.Copy | WarningChecks.Reshoot, new OptionResolver(configured).Checks);
    }

    [Fact]
    public void A_bad_endpoint_or_config_is_a_setup_error_naming_what_to_fix()
    {
        var endpoint = Assert.Throws<RunSetupException>(() => RunOptions.Resolve(
            new Dictionary<string, object> { ["Endpoint"] = new Uri("http://api.example.com/x") }, new SettingsValues(), p => p, null));
        Assert.Equal("InvalidEndpoint", endpoint.ErrorId);

        var both = Assert.Throws<RunSetupException>(() => RunOptions.Resolve(
            new Dictionary<string, object> { ["ConfigJson"] = "{}", ["CopyWarn"] = true }, new SettingsValues(), p => p, null));
        Assert.Equal("ConfigJsonWithSwitches", both.ErrorId);
        Assert.Contains("-CopyWarn", both.Message);
    }
}
