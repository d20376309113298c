import { formatUsd, money } from "../../money.js";
import type { AuditRecord } from "../record.js";
import { terminalText } from "./terminal-text.js";

function usd(amount: string | null): string | null {
  return amount === null ? null : formatUsd(money(amount));
}

/** Every field of one record, labelled, for `audit show`. */
export function auditDetail(record: AuditRecord): string {
  const costs = [
    ["baseline", usd(record.costs.monthlyBaseline), "/mo"],
    ["worst case", usd(record.costs.monthlyWorstCase), "/mo"],
    ["one-time", usd(record.costs.oneTime), ""],
  ]
    .filter(([, amount]) => amount !== null)
    .map(([label, amount, per]) => `${label} ${amount}${per}`);
  const actor = record.actor;
  const fields: Array<[string, string]> = [
    ["id", record.id],
    ["time", record.time],
    ["seq", String(record.seq)],
    ["decision", `${record.decision} (${record.enforcementLevel})`],
    ["policy", record.policy],
    ["stack", `${record.organization}/${record.project}/${record.stack} (${record.operation})`],
    ["resource", record.resource ? `${record.resource.urn} (${record.resource.type})` : "(stack-level)"],
    ["costs", costs.length > 0 ? costs.join(", ") : "none"],
    [
      "limit",
      record.limit === null
        ? "none"
        : `${usd(record.limit)}${record.budget ? ` (budget ${record.budget})` : ""}`,
    ],
    ["margin", record.marginPercent === null ? "none" : `${record.marginPercent}%`],
    [
      "waiver",
      record.waiver
        ? `${record.waiver.id}, approved by ${record.waiver.approvedBy}, expires ${record.waiver.expires}`
        : "none",
    ],
    ["catalog", `${record.catalog.version} (${record.catalog.date})`],
    ["config", record.configDigest],
    ["pack", `${record.pack.name}@${record.pack.version}`],
    [
      "actor",
      [
        actor.user,
        actor.ci ? `via ${actor.ci}` : null,
        actor.repository ? `repo ${actor.repository}` : null,
        actor.commit ? `commit ${actor.commit}` : null,
      ]
        .filter((part) => part !== null)
        .join(", "),
    ],
    ...(actor.runUrl ? [["run", actor.runUrl] as [string, string]] : []),
    ["message", record.message],
    ["prevHash", record.prevHash],
    ["hash", record.hash],
  ];
  const width = Math.max(...fields.map(([label]) => label.length));
  const indent = " ".repeat(width + 2);
  return `${fields
    .map(
      ([label, value]) =>
        `${label.padEnd(width)}  ${terminalText(value, true).replaceAll("\n", `\n${indent}`)}`,
    )
    .join("\n")}\n`;
}
