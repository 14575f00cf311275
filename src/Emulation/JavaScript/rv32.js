// The RV32IM interpreter in JavaScript, as a browser emulator (JSNES, jslinux) is written: typed arrays for RAM
// and registers, one switch on the opcode. The host shares its RAM and a small state array with it:
//   state[0..31] x0-x31, state[32] pc, state[33] instructions retired, state[34] extra cycles,
//   state[35] why it stopped (0: count spent, 1: the instruction at pc is for the host's hart).
// It runs the user-level instructions and RAM accesses; system instructions, CSRs, devices and traps go back to
// the host's hart (as a browser emulator calls out for I/O), which runs that one instruction.
"use strict";
function makeRv32(ramBuffer, stateBuffer, ramBase, ramSize, toHost) {
  const view = new DataView(ramBuffer);
  const state = new Uint32Array(stateBuffer);
  // Costs as in the host's Rv32Costs: memory +1, multiply +2, divide +32, taken jump +2.
  const MEMORY = 1, MULTIPLY = 2, DIVIDE = 32, JUMP = 2;

  function mulhu(a, b) {
    const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
    const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
    return (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) >>> 0;
  }
  function mulh(a, b) {
    let h = mulhu(a >>> 0, b >>> 0);
    if ((a | 0) < 0) h = (h - (b >>> 0)) >>> 0;
    if ((b | 0) < 0) h = (h - (a >>> 0)) >>> 0;
    return h;
  }
  function mulhsu(a, b) {
    let h = mulhu(a >>> 0, b >>> 0);
    if ((a | 0) < 0) h = (h - (b >>> 0)) >>> 0;
    return h;
  }
  function muldiv(f3, a, b) {
    switch (f3) {
      case 0: return Math.imul(a, b) >>> 0;
      case 1: return mulh(a, b);
      case 2: return mulhsu(a, b);
      case 3: return mulhu(a, b);
      case 4:
        if (b === 0) return 0xffffffff;
        if (a === 0x80000000 && b === 0xffffffff) return a;
        return (Math.trunc((a | 0) / (b | 0)) | 0) >>> 0;
      case 5: return b === 0 ? 0xffffffff : Math.floor(a / b) >>> 0;
      case 6:
        if (b === 0) return a;
        if (a === 0x80000000 && b === 0xffffffff) return 0;
        return ((a | 0) % (b | 0)) >>> 0;
      default: return b === 0 ? a : (a % b) >>> 0;
    }
  }

  return function run(count) {
    const x = state;
    let pc = x[32];
    let retired = 0, extra = 0, why = 0;
    while (retired < count) {
      const fo = (pc - ramBase) >>> 0;
      if (fo > ramSize - 4 || (pc & 3) !== 0) { why = 1; break; }
      const ir = view.getUint32(fo, true);
      const rd = (ir >>> 7) & 31;
      const rs1 = x[(ir >>> 15) & 31];
      const rs2 = x[(ir >>> 20) & 31];
      const f3 = (ir >>> 12) & 7;
      let next = (pc + 4) >>> 0;
      let result = 0;
      let write = true;
      switch (ir & 0x7f) {
        case 0x37: result = (ir & 0xfffff000) >>> 0; break;
        case 0x17: result = (pc + (ir & 0xfffff000)) >>> 0; break;
        case 0x6f: {
          let imm = ((ir & 0x80000000) >>> 11) | ((ir & 0x7fe00000) >>> 20) | ((ir & 0x00100000) >>> 9) | (ir & 0x000ff000);
          if (imm & 0x00100000) imm |= 0xffe00000;
          result = next; next = (pc + imm) >>> 0; extra += JUMP; break;
        }
        case 0x67:
          if (f3 !== 0) { why = 1; break; }
          result = next; next = ((rs1 + (ir >> 20)) & ~1) >>> 0; extra += JUMP; break;
        case 0x63: {
          let imm = ((ir & 0xf00) >>> 7) | ((ir & 0x7e000000) >>> 20) | ((ir & 0x80) << 4) | ((ir >>> 31) << 12);
          if (imm & 0x1000) imm |= 0xffffe000;
          let taken;
          switch (f3) {
            case 0: taken = rs1 === rs2; break;
            case 1: taken = rs1 !== rs2; break;
            case 4: taken = (rs1 | 0) < (rs2 | 0); break;
            case 5: taken = (rs1 | 0) >= (rs2 | 0); break;
            case 6: taken = rs1 < rs2; break;
            case 7: taken = rs1 >= rs2; break;
            default: why = 1;
          }
          if (why) break;
          if (taken) { next = (pc + imm) >>> 0; extra += JUMP; }
          write = false; break;
        }
        case 0x03: {
          const a = (rs1 + (ir >> 20)) >>> 0;
          const o = (a - ramBase) >>> 0;
          if (f3 === 3 || f3 > 5) { why = 1; break; }
          const size = 1 << (f3 & 3);
          if (o > ramSize - size) { why = 1; break; }
          switch (f3) {
            case 0: result = view.getInt8(o) >>> 0; break;
            case 1: result = view.getInt16(o, true) >>> 0; break;
            case 2: result = view.getUint32(o, true); break;
            case 4: result = view.getUint8(o); break;
            default: result = view.getUint16(o, true); break;
          }
          extra += MEMORY; break;
        }
        case 0x23: {
          const a = (rs1 + (((ir >> 20) & ~31) | ((ir >>> 7) & 31))) >>> 0;
          const o = (a - ramBase) >>> 0;
          if (f3 > 2 || (toHost !== 0 && a === toHost)) { why = 1; break; }
          if (o > ramSize - (1 << f3)) { why = 1; break; }
          if (f3 === 0) view.setUint8(o, rs2 & 0xff);
          else if (f3 === 1) view.setUint16(o, rs2 & 0xffff, true);
          else view.setUint32(o, rs2, true);
          extra += MEMORY; write = false; break;
        }
        case 0x13: {
          const imm = (ir >> 20) >>> 0;
          const sh = imm & 31;
          switch (f3) {
            case 0: result = (rs1 + imm) >>> 0; break;
            case 1: if ((ir >>> 25) !== 0) { why = 1; break; } result = (rs1 << sh) >>> 0; break;
            case 2: result = (rs1 | 0) < (imm | 0) ? 1 : 0; break;
            case 3: result = rs1 < imm ? 1 : 0; break;
            case 4: result = (rs1 ^ imm) >>> 0; break;
            case 5:
              if ((ir >>> 25) === 0) result = rs1 >>> sh;
              else if ((ir >>> 25) === 0x20) result = (rs1 >> sh) >>> 0;
              else why = 1;
              break;
            case 6: result = (rs1 | imm) >>> 0; break;
            default: result = (rs1 & imm) >>> 0; break;
          }
          break;
        }
        case 0x33: {
          const f7 = ir >>> 25;
          if (f7 === 1) { result = muldiv(f3, rs1, rs2); extra += f3 < 4 ? MULTIPLY : DIVIDE; break; }
          if (f7 === 0) {
            switch (f3) {
              case 0: result = (rs1 + rs2) >>> 0; break;
              case 1: result = (rs1 << (rs2 & 31)) >>> 0; break;
              case 2: result = (rs1 | 0) < (rs2 | 0) ? 1 : 0; break;
              case 3: result = rs1 < rs2 ? 1 : 0; break;
              case 4: result = (rs1 ^ rs2) >>> 0; break;
              case 5: result = rs1 >>> (rs2 & 31); break;
              case 6: result = (rs1 | rs2) >>> 0; break;
              default: result = (rs1 & rs2) >>> 0; break;
            }
          } else if (f7 === 0x20 && f3 === 0) result = (rs1 - rs2) >>> 0;
          else if (f7 === 0x20 && f3 === 5) result = (rs1 >> (rs2 & 31)) >>> 0;
          else why = 1;
          break;
        }
        default: why = 1; break;
      }
      if (why) break;
      if (write && rd !== 0) x[rd] = result;
      pc = next;
      retired++;
    }
    x[32] = pc; x[33] = retired; x[34] = extra; x[35] = why;
  };
}
