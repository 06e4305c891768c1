using IdCardVerify.Pacing;
using Xunit;

namespace IdCardVerify.Tests;

/// <summary>The noise learned, on its own: learned from checks, followed down by quiet windows, tested for per window.</summary>
public sealed class NoiseLevelTests
{
    [Fact]
    public void Learned_noise_is_capped_and_fades_when_windows_go_quiet()
    {
        var noise = new NoiseLevel();
        Assert.False(noise.Known);
        noise.Learn(0.5);
        Assert.Equal(NoiseLevel.Max, noise.Share);
        for (var i = 0; i < 40; i++)
        {
            noise.Follow(0);
        }

        Assert.False(noise.Known);
        Assert.Equal(0, noise.Share);
    }

    [Fact]
    public void A_window_over_the_noise_by_more_than_chance_is_exceeded_and_one_within_it_is_not()
    {
        var noise = new NoiseLevel();
        noise.Learn(0.1);
        Assert.False(noise.Exceeded(0.15, 20, 0.3));
        Assert.True(noise.Exceeded(0.35, 100, 0.3));
        Assert.True(noise.Exceeded(0.29, 100, 0.25), "never more than the ceiling, whatever the noise");
        Assert.True(noise.Covers(0.1));
        Assert.False(noise.Covers(0.2));
    }

    [Fact]
    public void What_the_API_would_have_accepted_without_the_noise()
    {
        var noise = new NoiseLevel();
        noise.Learn(0.1);
        Assert.Equal(50, noise.Gross(45), 6);
    }
}
