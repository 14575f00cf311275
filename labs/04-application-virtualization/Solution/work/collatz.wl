// The Collatz benchmark: how many steps each n from 1 to 300 takes to reach 1, in all.
// The same algorithm is written directly in VW32 assembly in collatz.s.
fn steps(n) {
    var count = 0;
    while (n != 1) {
        if (n % 2 == 0) {
            n = n / 2;
        } else {
            n = 3 * n + 1;
        }
        count = count + 1;
    }
    return count;
}

fn main() {
    var total = 0;
    var n = 1;
    while (n <= 300) {
        total = total + steps(n);
        n = n + 1;
    }
    print(total);
    return 0;
}
