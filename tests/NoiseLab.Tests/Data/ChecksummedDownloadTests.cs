using System.Net;
using System.Security.Cryptography;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Data;

public sealed class ChecksummedDownloadTests : IDisposable
{
    private static readonly byte[] s_content = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private sealed class Server(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(respond(request.RequestUri!));
        }
    }

    private static RemoteFile Expected => new("data.bin", s_content.Length, Convert.ToHexStringLower(SHA256.HashData(s_content)));

    private static HttpResponseMessage Serve(byte[] bytes) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };

    [Fact]
    public async Task An_intact_file_is_kept_under_its_name()
    {
        using var http = new HttpClient(new Server(_ => Serve(s_content)));

        string path = await new ChecksummedDownload(http).FetchAsync(Expected, [new Uri("http://mirror.test/data/")], _folder.Path);

        Assert.Equal(_folder.File("data.bin"), path);
        Assert.Equal(s_content, File.ReadAllBytes(path));
        Assert.Equal(["data.bin"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_corrupted_file_is_refused_and_nothing_is_left_behind()
    {
        byte[] corrupted = [.. s_content];
        corrupted[100] ^= 1;
        using var http = new HttpClient(new Server(_ => Serve(corrupted)));

        var error = await Assert.ThrowsAsync<DataSetException>(() =>
            new ChecksummedDownload(http).FetchAsync(Expected, [new Uri("http://mirror.test/")], _folder.Path));

        Assert.Contains($"expected {s_content.Length} bytes with {Expected.Sha256}", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task A_failing_mirror_is_skipped_for_the_next()
    {
        var server = new Server(uri => uri.Host == "down.test" ? new HttpResponseMessage(HttpStatusCode.NotFound) : Serve(s_content));
        using var http = new HttpClient(server);

        string path = await new ChecksummedDownload(http).FetchAsync(Expected, [new Uri("http://down.test/"), new Uri("http://up.test/")], _folder.Path);

        Assert.Equal(s_content, File.ReadAllBytes(path));
        Assert.Equal(["http://down.test/data.bin", "http://up.test/data.bin"], server.Requests.Select(u => u.ToString()));
    }
}
