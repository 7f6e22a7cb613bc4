// The SQLite store's WAL checkpointer, on a worker thread with a connection of its own (sqlite-engine.ts starts it
// for a file store while the sandbox serves). SQLite's automatic checkpoint runs inside the COMMIT that crosses
// 1,000 WAL pages, on the event loop: it copies pages into the database file and fsyncs it, a pause of several
// milliseconds for every request in flight (goods detail's p99 doubled while the purge deleted 100,000 rows).
// Here the copying and the fsyncs happen off the event loop; the server's connection turns its own automatic
// checkpoint off. PASSIVE never blocks anyone. The WAL file restarts from its beginning when a writer finds it
// fully checkpointed; under writes that never pause that moment may not come, so past truncatePages a TRUNCATE
// checkpoint makes it come and cuts the file to nothing: it waits (busy_timeout 0: not at all) for the write lock,
// and the server's writes that meet it are retried on timers like any busy write. Readers are not held up (the
// log is fully copied, so they read the database file). TRUNCATE rather than RESTART: after a RESTART, the file
// was cut back by the server's next write, on the event loop (an ftruncate of tens of MiB: 20-60 ms pauses).
// Plain CommonJS: a worker thread does not get tsx's loader.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");

const db = new Database(workerData.path);
db.pragma("busy_timeout = 0");

setInterval(() => {
  try {
    const [state] = db.pragma("wal_checkpoint(PASSIVE)");
    if (state && state.log >= workerData.truncatePages) db.pragma("wal_checkpoint(TRUNCATE)");
  } catch (error) {
    // Busy: the server writes; the next tick tries again. Anything else, the server hears of and takes over.
    if (!String(error?.code).startsWith("SQLITE_BUSY")) {
      parentPort.postMessage({ failed: String(error?.message) });
    }
  }
}, workerData.everyMs);
