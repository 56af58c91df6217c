namespace Vexaa.Storage;

/// <summary>
/// An upload went past its size limit while it was being read. Storage says so in its own terms; the HTTP host answers
/// it with 413 Payload Too Large. An <see cref="IOException"/>, as a broken upload stream is.
/// </summary>
public sealed class UploadTooLargeException(string message, Exception? inner = null) : IOException(message, inner);
