namespace SmtpDane.Fuzz;

/// <summary>A property of the code under test did not hold for an input.</summary>
internal sealed class PropertyException(string message) : Exception(message)
{
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new PropertyException(message);
        }
    }
}
