# Enters the kernel boundary of a packaged application (see KernelBoundary.cs and docs/packager.md): a new user
# and mount namespace, the mounts of a MountPlan, a new session, no capabilities; then execs the command.
# Perl because it is in every Debian system (perl-base) and single-threaded, which unshare(CLONE_NEWUSER)
# requires and the .NET runtime is not; it makes the system calls itself, so the set-up execs nothing.
# Arguments: FAILURE-FILE UID GID ARCH STEP... -- FOLDER COMMAND...
# No module is loaded (not even strict and warnings: every variable is declared with my all the same): this runs at
# every start, and loading POSIX alone cost 8-10 ms of processor time, strict and warnings 2 ms more, against
# about 2 ms for Perl's own start (docs/benchmarks.md). The architecture comes from the caller, and system calls
# and errno values are numbers.
my %numbers = (x86_64 => [272, 165, 166, 157, 126, 112], aarch64 => [97, 40, 39, 167, 91, 157]);
my ($failure, $uid, $gid, $arch) = splice(@ARGV, 0, 4);
sub fail {
    my $reason = "$_[0]: $!";
    if (open(my $file, '>', $failure)) { print $file "$reason\n"; close $file; }
    exit 125;
}
my $n = $numbers{$arch} or do { $! = 0; fail("no system call table for $arch") };
my ($UNSHARE, $MOUNT, $UMOUNT2, $PRCTL, $CAPSET, $SETSID) = @$n;
my $EEXIST = 17;
my $MOUNT_SETATTR = 442;
my ($MS_RDONLY, $MS_NOSUID, $MS_NODEV, $MS_BIND, $MS_MOVE, $MS_REC, $MS_PRIVATE) = (1, 2, 4, 4096, 8192, 16384, 262144);
sub write_file { my ($path, $text) = @_; open(my $h, '>', $path) or fail($path); print $h $text or fail($path); close $h or fail($path); }
syscall($UNSHARE, 0x10000000 | 0x00020000) == 0 or fail('unshare(CLONE_NEWUSER|CLONE_NEWNS)');
write_file('/proc/self/setgroups', 'deny');
write_file('/proc/self/uid_map', "$uid $uid 1");
write_file('/proc/self/gid_map', "$gid $gid 1");
# syscall() hands strings over as writable buffers, so every one is a variable of its own, never a literal.
my ($root, $tmpfs, $overlay) = ('/', 'tmpfs', 'overlay');
syscall($MOUNT, 0, $root, 0, $MS_REC | $MS_PRIVATE, 0) == 0 or fail('making / private');
sub setattr { my ($path, $flags, $set, $clear) = @_; my $attr = pack('QQQQ', $set, $clear, 0, 0); syscall($MOUNT_SETATTR, -100, $path, $flags, $attr, 32) == 0 or fail("mount_setattr $path"); }
# A folder and those above it, for a mount point a full-isolation view lacks (they land in its overlay layer).
sub make_path { my $path = ''; for my $part (grep { length } split(m{/}, $_[0])) { $path .= "/$part"; mkdir($path); } }
while (@ARGV) {
    my $step = shift @ARGV;
    last if $step eq '--';
    if ($step eq 'mkdir') { my $p = shift @ARGV; mkdir($p) or $! == $EEXIST or fail("mkdir $p"); }
    elsif ($step eq 'tmpfs') { my $p = shift @ARGV; my $data = 'mode=0755'; syscall($MOUNT, $tmpfs, $p, $tmpfs, $MS_NOSUID | $MS_NODEV, $data) == 0 or fail("tmpfs on $p"); }
    elsif ($step eq 'overlay') { my ($p, $data) = splice(@ARGV, 0, 2); syscall($MOUNT, $overlay, $p, $overlay, 0, $data) == 0 or fail("overlay on $p ($data)"); }
    elsif ($step eq 'bind') { my ($from, $p) = splice(@ARGV, 0, 2); syscall($MOUNT, $from, $p, 0, $MS_BIND | $MS_REC, 0) == 0 or fail("bind $from on $p"); }
    elsif ($step eq 'move') { my ($from, $p) = splice(@ARGV, 0, 2); make_path($p); syscall($MOUNT, $from, $p, 0, $MS_MOVE, 0) == 0 or fail("move $from to $p"); }
    elsif ($step eq 'read-only-all') { setattr($root, 0x8000, 1, 0); }
    elsif ($step eq 'read-only') { setattr(shift @ARGV, 0x8000, 1, 0); }
    elsif ($step eq 'writable') { setattr(shift @ARGV, 0, 0, 1); }
    elsif ($step eq 'umount') { my $p = shift @ARGV; syscall($UMOUNT2, $p, 2) == 0 or fail("umount $p"); }
    else { $! = 0; fail("unknown step $step"); }
}
my $folder = shift @ARGV;
chdir($folder) or chdir('/') or fail('chdir');
# A new session: no controlling terminal, so the application cannot push input into the user's (TIOCSTI).
if (syscall($SETSID) < 0) {
    my $child = fork();
    fail('fork') unless defined $child;
    if ($child) { waitpid($child, 0); exit($? & 127 ? 128 + ($? & 127) : $? >> 8); }
    syscall($SETSID) >= 0 or fail('setsid');
}
# No capabilities survive into the application (a root user's included): the bounding and ambient sets are
# emptied, then this thread's own sets, and exec can grant none back (no_new_privs).
for my $cap (0 .. 63) { syscall($PRCTL, 24, $cap, 0, 0, 0); }
syscall($PRCTL, 47, 4, 0, 0, 0);
syscall($PRCTL, 38, 1, 0, 0, 0) == 0 or fail('no_new_privs');
my $header = pack('LL', 0x20080522, 0);
my $data = pack('LLLLLL', 0, 0, 0, 0, 0, 0);
syscall($CAPSET, $header, $data) == 0 or fail('capset');
exec { $ARGV[0] } @ARGV or fail("exec $ARGV[0]");
