using System.Data.Common;

namespace NoiseLab.Experiments;

/// <summary>What differs between the databases a <see cref="RunStore"/> can live in; the SQL itself is shared.</summary>
internal abstract class StoreDialect
{
    /// <summary>The store as users name it in messages, without secrets.</summary>
    public abstract string Describe { get; }

    /// <summary>Opens a connection, ready for use.</summary>
    public abstract DbConnection Connect();

    /// <summary>
    /// Begins a transaction that no other worker's schema set-up or migration can interleave with, so
    /// that workers starting together on one store create or upgrade it exactly once.
    /// </summary>
    public abstract DbTransaction BeginSetUp(DbConnection connection);

    /// <summary>Whether the database has a table named <paramref name="name"/>.</summary>
    public abstract bool HasTable(DbConnection connection, DbTransaction transaction, string name);

    /// <summary>Whether the database holds tables of some other application, which the store must not touch.</summary>
    public abstract bool HasForeignTables(DbConnection connection, DbTransaction transaction);

    /// <summary>Appended to the claim's inner SELECT, so that concurrent claimers pass over each other's rows.</summary>
    public abstract string SkipLockedRows { get; }
}
