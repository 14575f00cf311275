; ethernet.s — the network card's registers and the frame routines the built-in network guests share.
;
; The scenario runner starts every machine with its parameters in registers:
;   r2, r3  the peer's MAC address (r2 = its low 32 bits, r3 = its high 16 bits)
;   r4      how many frames to send
;   r5      the VLAN sub-interface's VID (0: plain, untagged interface)
;   r6      the priority (PCP) of the sub-interface's frames
;   r7      the frame length to send (60 to 1514 bytes, 1518 on a sub-interface)
;   r8      pause (or reply timeout) between frames, in loop turns
; and the guests keep their results in r9 (frames sent), r10 (frames received for this interface) and r12
; (replies, or stream frames, received). Frames carry EtherType 0x88B5 and, after it, a kind byte (1 request,
; 2 reply, 3 stream) and a 16-bit sequence number.

.equ NIC_TX_ADDR,   0x300
.equ NIC_TX_LEN,    0x301
.equ NIC_CMD,       0x302
.equ NIC_RX_ADDR,   0x303
.equ NIC_RX_LEN,    0x304
.equ NIC_STATUS,    0x305
.equ NIC_MAC_LO,    0x307
.equ NIC_MAC_HI,    0x308
.equ CMD_SEND,      1
.equ CMD_RECEIVE,   2
.equ KIND_REQUEST,  1
.equ KIND_REPLY,    2
.equ KIND_STREAM,   3

; header: writes the frame header into the buffer at r13: destination r3:r2, source the card's own address,
; an 802.1Q tag (TPID 0x8100, TCI = r6 << 13 | r5) when r5 is not 0 — the guest's own VLAN sub-interface —
; and the EtherType 0x88B5. Returns r11 = the payload's offset. Uses r0, r1.
header:
    shri r0, r3, 8
    stb [r13 + 0], r0
    stb [r13 + 1], r3
    shri r0, r2, 24
    stb [r13 + 2], r0
    shri r0, r2, 16
    stb [r13 + 3], r0
    shri r0, r2, 8
    stb [r13 + 4], r0
    stb [r13 + 5], r2
    call own_source
    li r11, 12
    cmpi r5, 0
    je header_type
    li r0, 0x81
    stb [r13 + 12], r0
    li r0, 0x00
    stb [r13 + 13], r0
    shli r0, r6, 13
    or r0, r0, r5
    shri r1, r0, 8
    stb [r13 + 14], r1
    stb [r13 + 15], r0
    li r11, 16
header_type:
    add r1, r13, r11
    li r0, 0x88
    stb [r1 + 0], r0
    li r0, 0xB5
    stb [r1 + 1], r0
    addi r11, r11, 2
    ret

; own_source: writes the card's MAC address as the source address of the frame at r13. Uses r0, r1.
own_source:
    in r1, NIC_MAC_HI
    shri r0, r1, 8
    stb [r13 + 6], r0
    stb [r13 + 7], r1
    in r1, NIC_MAC_LO
    shri r0, r1, 24
    stb [r13 + 8], r0
    shri r0, r1, 16
    stb [r13 + 9], r0
    shri r0, r1, 8
    stb [r13 + 10], r0
    stb [r13 + 11], r1
    ret

; send: sends r7 bytes from r13. Uses r0.
send:
    out NIC_TX_ADDR, r13
    out NIC_TX_LEN, r7
    li r0, CMD_SEND
    out NIC_CMD, r0
    ret

; receive: copies the next received frame to r14; returns r0 = its length, 0 if none was waiting.
receive:
    in r0, NIC_STATUS
    andi r0, r0, 1
    je receive_none
    out NIC_RX_ADDR, r14
    li r0, CMD_RECEIVE
    out NIC_CMD, r0
    in r0, NIC_RX_LEN
receive_none:
    ret

; accept: is the frame at r14 for this interface and ours? The card takes every frame off the wire, so the
; driver filters: the destination must be the card's address or a group address. A plain interface (r5 = 0)
; takes untagged and priority-tagged frames; a sub-interface takes only frames tagged with its VID, as Linux's
; eth0.VID does.
; Returns r1 = the payload's offset (after the EtherType), 0 if the frame is not for us. Uses r0.
accept:
    push r2
    ldb r0, [r14 + 0]                ; a group address (multicast, broadcast) is for everyone
    andi r0, r0, 1
    jne accept_vlan
    in r1, NIC_MAC_HI                ; otherwise the destination must be the card's own address
    ldb r0, [r14 + 0]
    ldb r2, [r14 + 1]
    shli r0, r0, 8
    or r0, r0, r2
    cmp r0, r1
    jne accept_no
    in r1, NIC_MAC_LO
    ldb r0, [r14 + 2]
    ldb r2, [r14 + 3]
    shli r0, r0, 8
    or r0, r0, r2
    ldb r2, [r14 + 4]
    shli r0, r0, 8
    or r0, r0, r2
    ldb r2, [r14 + 5]
    shli r0, r0, 8
    or r0, r0, r2
    cmp r0, r1
    jne accept_no
accept_vlan:
    ldb r0, [r14 + 12]
    ldb r1, [r14 + 13]
    shli r0, r0, 8
    or r0, r0, r1
    li r1, 0x8100
    cmp r0, r1
    jne accept_untagged
    ldb r0, [r14 + 14]
    ldb r1, [r14 + 15]
    shli r0, r0, 8
    or r0, r0, r1
    andi r0, r0, 0x0FFF
    cmp r0, r5
    jne accept_no
    li r1, 16
    jmp accept_type
accept_untagged:
    cmpi r5, 0
    jne accept_no
    li r1, 12
accept_type:
    add r2, r14, r1
    ldb r0, [r2 + 0]
    cmpi r0, 0x88
    jne accept_no
    ldb r0, [r2 + 1]
    cmpi r0, 0xB5
    jne accept_no
    addi r1, r1, 2
    pop r2
    ret
accept_no:
    li r1, 0
    pop r2
    ret
