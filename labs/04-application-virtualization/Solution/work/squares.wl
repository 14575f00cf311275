// Lab 04, step 1: finish sumsq, then compile and run this file on both platforms.
//   workbench bytecode compile squares.wl -o squares.vbc
//   workbench bytecode run squares.vbc --platform host
//   workbench bytecode run squares.vbc --platform machine

// The sum of the squares of the array's elements.
fn sumsq(a[]) {
    var sum = 0;
    var i = 0;
    while (i < len(a)) {
        sum = sum + a[i] * a[i];
        i = i + 1;
    }
    return sum;
}

fn main() {
    var n = 20;
    var a = array(n);
    var i = 0;
    while (i < n) {
        a[i] = i + 1;
        i = i + 1;
    }
    print(sumsq(a));
    return 0;
}
