// What the benchmark database's connections are doing (pg_stat_activity), sampled
// during a phase: how many there are, how many run a query, sit idle inside a
// transaction, or wait for a lock. A pool that is always fully active points at
// PostgreSQL round trips as the limit; lock waits at contention.
import pg from "pg";

export interface PgPeaks {
  samples: number;
  connections: number;
  active: number;
  idleInTransaction: number;
  lockWaits: number;
  /** Mean number of connections running a query, over the samples. */
  meanActive: number;
  /** Transactions committed or rolled back in the bench database per second (every autocommit statement is one). */
  xactPerSecond: number;
}

export class PgWatch {
  private client: pg.Client;
  private connected: Promise<void>;
  private peaks: PgPeaks = PgWatch.empty();
  private sumActive = 0;

  constructor(
    serverUrl: string,
    private readonly dbName: string,
  ) {
    this.client = new pg.Client({ connectionString: serverUrl, application_name: "isthmus-bench-watch" });
    this.connected = this.client.connect().then(() => undefined);
    this.connected.catch(() => {}); // reported when a sample awaits it
  }

  private static empty(): PgPeaks {
    return { samples: 0, connections: 0, active: 0, idleInTransaction: 0, lockWaits: 0, meanActive: 0, xactPerSecond: NaN };
  }

  private xact0: { n: number; t: number } | null = null;

  reset() {
    this.peaks = PgWatch.empty();
    this.sumActive = 0;
    this.xact0 = null;
  }

  private async xacts(): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`, [this.dbName]);
    return Number(rows[0]?.n ?? NaN);
  }

  async sample() {
    await this.connected;
    const { rows } = await this.client.query<{ state: string | null; lock: boolean; n: string }>(
      `SELECT state, (wait_event_type = 'Lock') AS lock, count(*) AS n FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> 'isthmus-bench-watch'
        GROUP BY 1, 2`,
      [this.dbName],
    );
    let total = 0;
    let active = 0;
    let idleTx = 0;
    let locks = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      if (r.state === "active") active += n;
      if (r.state === "idle in transaction") idleTx += n;
      if (r.lock) locks += n;
    }
    const p = this.peaks;
    p.samples++;
    this.sumActive += active;
    p.connections = Math.max(p.connections, total);
    p.active = Math.max(p.active, active);
    p.idleInTransaction = Math.max(p.idleInTransaction, idleTx);
    p.lockWaits = Math.max(p.lockWaits, locks);
    p.meanActive = this.sumActive / p.samples;
    // Transactions per second since the first sample of the phase.
    const now = { n: await this.xacts(), t: performance.now() };
    if (!this.xact0) this.xact0 = now;
    else if (now.t > this.xact0.t) p.xactPerSecond = (now.n - this.xact0.n) / ((now.t - this.xact0.t) / 1000);
  }

  get result(): PgPeaks {
    return { ...this.peaks };
  }

  async close() {
    await this.client.end().catch(() => {});
  }
}
