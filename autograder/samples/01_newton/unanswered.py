# The released notebook as it is: no cell is changed.
