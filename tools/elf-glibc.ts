// Reads what an x86_64/aarch64 ELF shared library asks of the system's C library: its DT_NEEDED
// libraries and the symbol versions it requires (.gnu.version_r), with the symbols bound to
// each version. Used by tests/bridge/glibc.test.ts to keep the bridge loadable on the oldest
// glibc it is built for (build.zig's default_glibc), and usable by hand:
//
//   bun tools/elf-glibc.ts zig-out/lib/libtemporal_bun_bridge.so
//
// It reads the file directly (no objdump needed): only little-endian ELF64 is supported, which
// covers every Linux target in docs/platforms.md.

export interface VersionNeed {
  /** The library the version comes from, e.g. "libc.so.6". */
  file: string;
  /** The version name, e.g. "GLIBC_2.28". */
  version: string;
  /** The dynamic symbols bound to this version. */
  symbols: string[];
}

export interface ElfNeeds {
  needed: string[];
  versions: VersionNeed[];
}

const SHT_DYNSYM = 11;
const SHT_DYNAMIC = 6;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const DT_NEEDED = 1;

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export function readElfNeeds(bytes: Uint8Array): ElfNeeds {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new Error("not an ELF file");
  }
  if (bytes[4] !== 2 || bytes[5] !== 1) throw new Error("only little-endian ELF64 is supported");
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const u64 = (o: number) => Number(view.getBigUint64(o, true));

  const shoff = u64(0x28);
  const shentsize = u16(0x3a);
  const shnum = u16(0x3c);
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: u32(o + 4),
      offset: u64(o + 0x18),
      size: u64(o + 0x20),
      link: u32(o + 0x28),
      info: u32(o + 0x2c),
      entsize: u64(o + 0x38),
    });
  }
  const cstr = (strtab: Section, at: number): string => {
    const start = strtab.offset + at;
    let end = start;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(start, end));
  };
  const section = (type: number) => sections.find((s) => s.type === type);

  const needed: string[] = [];
  const dynamic = section(SHT_DYNAMIC);
  if (dynamic) {
    const strtab = sections[dynamic.link]!;
    for (let o = dynamic.offset; o < dynamic.offset + dynamic.size; o += 16) {
      const tag = u64(o);
      if (tag === 0) break;
      if (tag === DT_NEEDED) needed.push(cstr(strtab, u64(o + 8)));
    }
  }

  // Version index (vna_other) → the version it stands for.
  const byIndex = new Map<number, VersionNeed>();
  const versions: VersionNeed[] = [];
  const verneed = section(SHT_GNU_VERNEED);
  if (verneed) {
    const strtab = sections[verneed.link]!;
    let o = verneed.offset;
    for (let n = 0; n < verneed.info; n++) {
      const cnt = u16(o + 2);
      const file = cstr(strtab, u32(o + 4));
      let a = o + u32(o + 8);
      for (let k = 0; k < cnt; k++) {
        const need: VersionNeed = { file, version: cstr(strtab, u32(a + 8)), symbols: [] };
        byIndex.set(u16(a + 6) & 0x7fff, need);
        versions.push(need);
        const next = u32(a + 12);
        if (next === 0) break;
        a += next;
      }
      const next = u32(o + 12);
      if (next === 0) break;
      o += next;
    }
  }

  const dynsym = section(SHT_DYNSYM);
  const versym = section(SHT_GNU_VERSYM);
  if (dynsym && versym) {
    const strtab = sections[dynsym.link]!;
    const count = dynsym.size / (dynsym.entsize || 24);
    for (let i = 1; i < count; i++) {
      const need = byIndex.get(u16(versym.offset + i * 2) & 0x7fff);
      if (need) need.symbols.push(cstr(strtab, u32(dynsym.offset + i * 24)));
    }
  }
  return { needed, versions };
}

/** "GLIBC_2.28" → [2, 28]; undefined for other version names (e.g. "GLIBC_PRIVATE"). */
export function glibcVersion(name: string): number[] | undefined {
  const m = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(name);
  return m ? m[1]!.split(".").map(Number) : undefined;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest GLIBC_x.y version the file needs, e.g. "2.28". */
export function newestGlibc(needs: ElfNeeds): string | undefined {
  let newest: number[] | undefined;
  for (const v of needs.versions) {
    const n = glibcVersion(v.version);
    if (n && (!newest || compareVersions(n, newest) > 0)) newest = n;
  }
  return newest?.join(".");
}

if (import.meta.main) {
  const path = process.argv[2];
  if (!path) {
    console.error("usage: bun tools/elf-glibc.ts <shared library>");
    process.exit(2);
  }
  const needs = readElfNeeds(new Uint8Array(await Bun.file(path).arrayBuffer()));
  console.log(`needed: ${needs.needed.join(", ")}`);
  for (const v of needs.versions) {
    console.log(`${v.file} ${v.version}: ${v.symbols.length} symbol(s)${v.symbols.length ? ` (${v.symbols.slice(0, 6).join(", ")}${v.symbols.length > 6 ? ", …" : ""})` : ""}`);
  }
  console.log(`newest glibc needed: ${newestGlibc(needs) ?? "none"}`);
}
