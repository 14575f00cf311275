; hypercalls.s — the paravirtual hypervisor's hypercall numbers (vmcall with the number in r0), shared by every
; guest that talks to it. The interface is documented in curriculum/reference/isa.md.
.equ HC_CONSOLE_WRITE,  1            ; r1 = byte
.equ HC_SET_TRAP_TABLE, 2            ; r1 = interrupt table
.equ HC_PIN_TABLE,      3            ; r1 = page, r2 = level (1 table, 2 directory)
.equ HC_MMU_UPDATE,     4            ; r1 = batch of (entry address, value), r2 = count
.equ HC_NEW_BASEPTR,    5            ; r1 = pinned directory; paging on
.equ HC_SET_TIMER,      6            ; r1 = period in cycles
.equ HC_EVENTS,         7            ; r1 = 1 deliver events, 0 hold them
.equ HC_IRET,           8            ; pops r0, then the trap frame
.equ HC_STACK_SWITCH,   9            ; r1 = kernel stack for traps from user mode
.equ HC_SHUTDOWN,       10
.equ HC_INVLPG,         11           ; r1 = address
.equ HC_PORT_IN,        12           ; r1 = port
.equ HC_SET_PRIORITY,   13           ; r1 = task priority
.equ HC_GRANT,          14           ; r1 = page to share with Dom0
.equ HC_EVENT_SEND,     15
.equ HC_BLOCK,          16
.equ HC_GRANT_COPY,     17           ; Dom0: r1 = offset, r2 = destination, r3 = length
.equ HC_GRANT_WRITE,    18           ; Dom0: r1 = offset, r2 = word
