/**
 * A seccomp filter (classic BPF, as bubblewrap's `--seccomp` reads it) that
 * stops a sandboxed command from opening Unix-domain sockets. Those cross
 * every mount and network namespace: through the Docker socket, the
 * session bus or an agent's socket a process could start something
 * outside the sandbox. `socketpair` (how pipes to child processes are
 * made) stays allowed. Also refused: io_uring (it can open sockets
 * without the socket system call), the x32 ABI and 32-bit system calls
 * (other numbers for the same calls). Pure.
 */

export type SeccompArch = 'x64' | 'arm64';

interface ArchInfo {
  /** AUDIT_ARCH_* of the native ABI. */
  audit: number;
  socket: number;
  ioUringSetup: number;
  /** System call numbers at or above this belong to another ABI (x32). */
  foreignFrom?: number;
}

const ARCHES: Record<SeccompArch, ArchInfo> = {
  x64: { audit: 0xc000003e, socket: 41, ioUringSetup: 425, foreignFrom: 0x40000000 },
  arm64: { audit: 0xc00000b7, socket: 198, ioUringSetup: 425 },
};

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const AF_UNIX = 1;
/** Offsets in struct seccomp_data. */
const NR = 0;
const ARCH = 4;
const ARG0 = 16;

interface Instruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export function isSeccompArch(arch: string): arch is SeccompArch {
  return arch === 'x64' || arch === 'arm64';
}

/** The filter's instructions (exported for the tests: the jumps must land). */
export function unixSocketProgram(arch: SeccompArch): Instruction[] {
  const info = ARCHES[arch];
  const ld = (k: number): Instruction => ({ code: BPF_LD_W_ABS, jt: 0, jf: 0, k });
  const ret = (k: number): Instruction => ({ code: BPF_RET_K, jt: 0, jf: 0, k });
  // Jumps are relative to the next instruction; DENY and ALLOW are the last two.
  const program: Array<Instruction | ((at: number, deny: number, allow: number) => Instruction)> = [
    ld(ARCH),
    (at, deny) => ({ code: BPF_JEQ_K, jt: 0, jf: deny - at - 1, k: info.audit }),
    ld(NR),
    ...(info.foreignFrom !== undefined ? [(at: number, deny: number) => ({ code: BPF_JGE_K, jt: deny - at - 1, jf: 0, k: info.foreignFrom! })] : []),
    (at, deny) => ({ code: BPF_JEQ_K, jt: deny - at - 1, jf: 0, k: info.ioUringSetup }),
    (at, _deny, allow) => ({ code: BPF_JEQ_K, jt: 0, jf: allow - at - 1, k: info.socket }),
    ld(ARG0),
    (at, deny, allow) => ({ code: BPF_JEQ_K, jt: deny - at - 1, jf: allow - at - 1, k: AF_UNIX }),
  ];
  const deny = program.length + 1;
  const allow = program.length;
  const resolved = program.map((step, at) => (typeof step === 'function' ? step(at, deny, allow) : step));
  return [...resolved, ret(SECCOMP_RET_ALLOW), ret(SECCOMP_RET_ERRNO | EPERM)];
}

/** The filter as bytes (struct sock_filter[], little-endian as both ABIs are). */
export function unixSocketFilter(arch: SeccompArch): Buffer {
  const program = unixSocketProgram(arch);
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    buffer.writeUInt16LE(instruction.code, index * 8);
    buffer.writeUInt8(instruction.jt, index * 8 + 2);
    buffer.writeUInt8(instruction.jf, index * 8 + 3);
    buffer.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return buffer;
}
