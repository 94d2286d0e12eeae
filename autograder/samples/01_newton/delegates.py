# %% newton
from course_lib.newton import newton, newton_step


def newton_iterates(grad, hess, x0, tol=1e-10, max_iter=50):
    return newton(grad, hess, x0, tol=tol, maxiter=max_iter).history
