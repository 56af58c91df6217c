namespace Vexaa.Server.Jobs;

/// <summary>
/// A step of a job request that either yields its value or refuses with the answer to send, so a refusal the client
/// caused travels as a value, not as an exception. Exceptions stay for what is truly exceptional (a broken body, a
/// vanished connection, a failing store).
/// </summary>
internal readonly record struct Refusable<T>(T? Value, ProblemHttpResult? Problem)
    where T : class
{
    public static implicit operator Refusable<T>(T value) => new(value, null);

    public static implicit operator Refusable<T>(ProblemHttpResult problem) => new(null, problem);
}
