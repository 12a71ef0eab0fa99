// The program of each layer's link check (top CMakeLists.txt): every object
// of the layer's library is linked in whole, with only the layers it uses
// below it, so a call from the layer to a layer above is an undefined
// reference at build time.
int main() { return 0; }
