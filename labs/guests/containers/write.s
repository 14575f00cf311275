; write.s — `write PATH TEXT`: writes TEXT and a newline to the file PATH (made if missing). A file of the
; image is not changed in place: the container gets a copy of its own (copy-on-write), which other containers
; of the same image never see.
.org 0x1000
start:
    cmpi r1, 0
    je usage
    mov r8, r1                       ; the path: up to the first space
    mov r2, r1
path_end:
    ldb r3, [r2]
    cmpi r3, 0
    je usage
    cmpi r3, 32
    je split
    addi r2, r2, 1
    jmp path_end
split:
    li r3, 0
    stb [r2], r3                     ; the path ends here
    addi r9, r2, 1                   ; the text
    mov r2, r9
text_end:
    ldb r3, [r2]
    cmpi r3, 0
    je put_newline
    addi r2, r2, 1
    jmp text_end
put_newline:
    li r3, 10
    stb [r2], r3                     ; the NUL becomes the newline
    addi r2, r2, 1
    sub r10, r2, r9                  ; the length
    li r0, SYS_WRITEFILE
    mov r1, r8
    mov r2, r9
    mov r3, r10
    int 0x80
    mov r11, r0
    li r1, msg_write
    call puts
    mov r1, r8
    call puts
    li r1, msg_returned
    call puts
    mov r1, r11
    call putdec
    li r1, msg_newline
    call puts
    li r0, SYS_EXIT
    li r1, 0
    cmpi r11, 0
    jge done
    li r1, 1
done:
    int 0x80
usage:
    li r1, msg_usage
    call puts
    li r0, SYS_EXIT
    li r1, 2
    int 0x80

.include "lib.s"
msg_write:    .asciz "write: "
msg_returned: .asciz ": returned "
msg_usage:    .asciz "write: usage: write PATH TEXT\n"
msg_newline:  .asciz "\n"
