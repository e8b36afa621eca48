namespace SmtpDane.IntegrationTests;

/// <summary>A fact that runs only inside the test bed; elsewhere it is skipped with <see cref="Testbed.SkipReason"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class TestbedFactAttribute : FactAttribute
{
    public TestbedFactAttribute()
    {
        var reason = Testbed.SkipReason;
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that runs only inside the test bed; elsewhere it is skipped with <see cref="Testbed.SkipReason"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class TestbedTheoryAttribute : TheoryAttribute
{
    public TestbedTheoryAttribute()
    {
        var reason = Testbed.SkipReason;
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
