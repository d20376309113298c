// Child process for the concurrency and kill tests: plain JS, loads the transpiled store.
// argv: <store module URL> <draft module URL> <log path> count <n> <worker id> [maxBytes]
//       <store module URL> <draft module URL> <log path> forever <split-pause ms, 0 = one write>
// forever mode starts appending when a line arrives on stdin and runs until killed.
const [storeUrl, draftUrl, logPath, mode, ...args] = process.argv.slice(2);
const { appendAuditRecord } = await import(storeUrl);
const { sampleDraft } = await import(draftUrl);

if (mode === "count") {
  const [count, workerId, maxBytes] = args;
  const failures = [];
  let ok = 0;
  for (let i = 0; i < Number(count); i++) {
    const result = await appendAuditRecord(sampleDraft({ message: `worker ${workerId} record ${i}` }), {
      path: logPath,
      ...(maxBytes ? { maxBytes: Number(maxBytes) } : {}),
    });
    if (result.ok) ok++;
    else failures.push(result.reason);
  }
  process.stdout.write(`${JSON.stringify({ ok, failures })}\n`);
} else {
  const pause = Number(args[0]);
  // Loaded and waiting: the test starts the next writer while it checks the last one's damage.
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  for (let i = 0; ; i++) {
    const result = await appendAuditRecord(sampleDraft({ message: `forever ${i}` }), {
      path: logPath,
      ...(pause > 0 ? { splitWritePauseMs: pause } : {}),
    });
    // Only what was acknowledged: the kill test checks every one of these survives repair.
    process.stdout.write(result.ok ? `appended ${result.record.id}\n` : `failed ${result.reason}\n`);
  }
}
