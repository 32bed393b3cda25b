using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Data;

public sealed class DataSetCatalogTests
{
    [Fact]
    public void A_missing_seattle_series_names_the_package_that_installs_it()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("seattle-weather.csv");

        var error = Assert.Throws<DataSetException>(() => DataSetCatalog.LoadSeattle(path, new DataOptions()));

        Assert.Equal($"Seattle's weather series '{path}' (data set seattle-temp) was not found; install it with 'sudo apt-get install python3-vega-datasets' (or run ./scripts/setup.sh in a NoiseLab checkout).", error.Message);
    }

    [Fact]
    public void The_named_data_sets_include_mnist_10k()
    {
        Assert.Equal(["fashion-mnist", "mnist", "mnist-10k", "cifar10", "seattle-temp"], DataSetCatalog.Names);
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<DataSetException>(() => DataSetCatalog.Load("mnist10k", new DataOptions()));

        Assert.Equal("Unknown data set 'mnist10k'; choose one of: fashion-mnist, mnist, mnist-10k, cifar10, seattle-temp.", error.Message);
    }
}
