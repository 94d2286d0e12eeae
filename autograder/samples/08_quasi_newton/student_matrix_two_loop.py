# %% two_loop
def two_loop(g, s_list, y_list, gamma):
    # build the BFGS matrix with task 1's update, then multiply (forms a d x d matrix)
    H = gamma * np.eye(len(g))
    for s, y in zip(s_list, y_list):
        H = bfgs_update(H, s, y)
    return H @ g
