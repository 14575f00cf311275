// Lab 04, step 1: finish sumsq, then compile and run this file on both platforms.
//   workbench bytecode compile squares.wl -o squares.vbc
//   workbench bytecode run squares.vbc --platform host
//   workbench bytecode run squares.vbc --platform machine

// The sum of the squares of the array's elements.
fn sumsq(a[]) {
    // TODO: loop over a (len(a) is its length) and add up a[i] * a[i].
    return 0;
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
