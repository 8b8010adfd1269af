/** Drops NYC-taxi-shaped JSON Lines files into a landing folder, one file per tick, atomically (hidden temp + rename). */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** The seed's taxi trip fields, as JSON the demo's schema reads. */
export const TAXI_SCHEMA_DDL = [
  "VendorID INT", "tpep_pickup_datetime STRING", "tpep_dropoff_datetime STRING", "passenger_count INT", "trip_distance DOUBLE",
  "RatecodeID INT", "store_and_fwd_flag STRING", "PULocationID INT", "DOLocationID INT", "payment_type INT", "fare_amount DOUBLE",
  "extra DOUBLE", "mta_tax DOUBLE", "tip_amount DOUBLE", "tolls_amount DOUBLE", "improvement_surcharge DOUBLE", "total_amount DOUBLE",
].join(", ");

/** A small deterministic PRNG so a run is reproducible from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number): string => String(n).padStart(2, "0");
const fmt = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

export function taxiTrip(rand: () => number, pickupMs: number): Record<string, unknown> {
  const distance = Math.round(rand() * 120) / 10;
  const minutes = 3 + Math.floor(distance * 3 + rand() * 10);
  const fare = Math.round((3 + distance * 2.5) * 100) / 100;
  const tip = rand() < 0.6 ? Math.round(fare * 0.18 * 100) / 100 : 0;
  return {
    VendorID: 1 + Math.floor(rand() * 2), tpep_pickup_datetime: fmt(pickupMs), tpep_dropoff_datetime: fmt(pickupMs + minutes * 60_000),
    passenger_count: 1 + Math.floor(rand() * 4), trip_distance: distance, RatecodeID: 1, store_and_fwd_flag: rand() < 0.02 ? "Y" : "N",
    PULocationID: 1 + Math.floor(rand() * 265), DOLocationID: 1 + Math.floor(rand() * 265), payment_type: 1 + Math.floor(rand() * 2),
    fare_amount: fare, extra: 0.5, mta_tax: 0.5, tip_amount: tip, tolls_amount: 0, improvement_surcharge: 0.3,
    total_amount: Math.round((fare + 1.3 + tip) * 100) / 100,
  };
}

/** Writes file number `seq` with `rows` trips; returns its path. */
export function writeTaxiFile(dir: string, seq: number, rows: number, seed = 42): string {
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(seed * 1_000_003 + seq);
  const base = Date.UTC(2024, 0, 1) + seq * 60_000;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(JSON.stringify(taxiTrip(rand, base + Math.floor(rand() * 60_000))));
  const name = `trips-${String(seq).padStart(6, "0")}.json`;
  const tmp = path.join(dir, `.${name}.tmp`);
  writeFileSync(tmp, lines.join("\n") + "\n");
  renameSync(tmp, path.join(dir, name));
  return path.join(dir, name);
}
