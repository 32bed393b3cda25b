namespace NoiseLab.Data;

/// <summary>A file of a published data set, with the size and SHA-256 its publisher's copy has.</summary>
/// <param name="FileName">The file's name, e.g. "train-images-idx3-ubyte.gz".</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
public sealed record RemoteFile(string FileName, long Size, string Sha256);
