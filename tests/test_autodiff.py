"""Automatic differentiation (course_lib.autodiff): rules against finite differences, jvp against
vjp, the worked examples of sources 004 and 000, the tables, the expression front-end, an MLP."""

import math
import unicodedata

import mpmath as mp
import numpy as np
import pytest

from conftest import central_jacobian
from course_lib import autodiff as ad
from course_lib import backprop as bp

RNG = np.random.default_rng(20240607)
THETA = np.array([np.pi / 6, 2.0, 5.0])


def nfc(text):
    """Compare accented names (ȧ, v̄) whatever the editor's Unicode normal form."""
    return unicodedata.normalize("NFC", text)


def C004(t):
    """004, eq. (4.27): C(theta) = sin(theta1 theta2) + exp(theta2 + theta3) - 2 theta3."""
    return ad.sin(t[0] * t[1]) + ad.exp(t[1] + t[2]) - 2 * t[2]


def f000(x, y):
    """000, eq. (2.9): f(x, y) = x y - log(1 + exp(x y)), with x y computed once (v3)."""
    v3 = x * y
    return v3 - ad.log(1 + ad.exp(v3))


def _jacobian_fd(f, primals, k):
    """Finite-difference Jacobian of f with respect to primal k, shape out.shape + primal.shape."""
    p = [np.asarray(a, float) for a in primals]

    def fk(x):
        q = list(p)
        q[k] = x.reshape(p[k].shape)
        return np.asarray(f(*q), float)

    J = central_jacobian(fk, p[k].ravel(), h=1e-6)
    return J.reshape(np.shape(fk(p[k])) + p[k].shape)


def check_grads(f, *primals, rtol=1e-6, atol=1e-7):
    """jvp and vjp of f agree with central differences, and <u, J v> = <J^T u, v>."""
    y = np.asarray(f(*primals))
    for k in range(len(primals)):
        J = _jacobian_fd(f, primals, k)
        v = RNG.normal(size=np.shape(primals[k]))
        tangents = tuple(v if i == k else np.zeros(np.shape(p)) for i, p in enumerate(primals))
        _, y_dot = ad.jvp(f, primals, tangents)
        Jv = np.tensordot(J, v, axes=np.ndim(v)) if np.ndim(v) else J * v
        np.testing.assert_allclose(y_dot, Jv, rtol=rtol, atol=atol)
        u = RNG.normal(size=y.shape)
        _, pullback = ad.vjp(f, *primals)
        JTu = np.tensordot(u, J, axes=y.ndim) if y.ndim else u * J
        np.testing.assert_allclose(pullback(u)[k], JTu, rtol=rtol, atol=atol)
    # the adjoint identity, all primals at once
    vs = tuple(RNG.normal(size=np.shape(p)) for p in primals)
    u = RNG.normal(size=y.shape)
    _, y_dot = ad.jvp(f, primals, vs)
    cts = ad.vjp(f, *primals)[1](u)
    lhs = np.sum(u * y_dot)
    rhs = sum(np.sum(c * v) for c, v in zip(cts, vs))
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-12)


def _pos(shape):
    return RNG.uniform(0.5, 2.0, size=shape)


def _any(shape):
    return RNG.normal(size=shape)


UNARY = {
    "sin": (ad.sin, _any), "cos": (ad.cos, _any), "exp": (ad.exp, _any), "log": (ad.log, _pos),
    "log1p": (ad.log1p, _pos), "tanh": (ad.tanh, _any), "sigmoid": (ad.sigmoid, _any),
    "softplus": (ad.softplus, _any), "relu": (ad.relu, lambda s: _any(s) + 0.05 * np.sign(_any(s))),
    "neg": (lambda x: -x, _any), "pow3": (lambda x: x ** 3, _any), "pow-0.5": (lambda x: x ** -0.5, _pos),
    "sum": (ad.sum, _any), "sum_axis": (lambda x: ad.sum(x, axis=-1), _any), "mean": (ad.mean, _any),
    "mean_axis0": (lambda x: x.mean(axis=0), _any), "T": (lambda x: x.T, _any),
    "reshape": (lambda x: x.reshape(-1), _any), "slice": (lambda x: x[..., 1:], _any),
    "fancy_index": (lambda x: x[..., [0, 2, 0]], _any),
}


NEEDS_AN_AXIS = {"T", "slice", "fancy_index", "sum_axis", "mean_axis0"}
UNARY_CASES = [(name, shape) for name in sorted(UNARY) for shape in [(), (3,), (2, 3)]
               if not (shape == () and name in NEEDS_AN_AXIS)]


@pytest.mark.parametrize("name,shape", UNARY_CASES)
def test_unary_primitives_against_finite_differences(name, shape):
    """Does every one-argument primitive's jvp and vjp match central differences (scalars and arrays)?"""
    f, draw = UNARY[name]
    check_grads(f, draw(shape))


BINARY = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
          "truediv": lambda x, y: x / y}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("sx,sy", [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)),
                                   ((4, 2, 3), (2, 1))])
def test_binary_primitives_with_broadcasting(name, sx, sy):
    """Do + - * / differentiate correctly when numpy broadcasts (is the cotangent summed back)?"""
    check_grads(BINARY[name], _pos(sx), _pos(sy))


@pytest.mark.parametrize("sx,sy", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4))])
def test_matmul(sx, sy):
    """Is the matmul rule right for vectors, matrices and stacks (numpy's 1-d conventions)?"""
    check_grads(lambda x, y: x @ y, _any(sx), _any(sy))


@pytest.mark.parametrize("labels", ["integer", "probabilities"])
def test_softmax_cross_entropy(labels):
    """Is the fused softmax cross-entropy's derivative softmax - y, and stable for huge logits?"""
    z = _any((4, 5)) * 3
    y = RNG.integers(0, 5, 4) if labels == "integer" else RNG.dirichlet(np.ones(5), 4)
    check_grads(lambda z: ad.softmax_cross_entropy(z, y), z)
    big = np.array([[1000.0, 0.0, -1000.0]])
    value, g = ad.value_and_grad(lambda z: ad.mean(ad.softmax_cross_entropy(z, np.array([1]))))(big)
    assert value == pytest.approx(1000.0) and np.allclose(g, [[1.0, -1.0, 0.0]])


def test_constants_on_either_side_and_numpy_scalars():
    """Do numbers, numpy scalars and arrays combine with traced values on either side?"""
    f = lambda x: np.float64(2.0) * x + np.ones(3) - x / 4 + 1 / x - np.arange(3.0) @ x + 3 - x
    check_grads(f, _pos(3))


def test_repeated_index_is_one_node():
    """Is t[1] used twice a single input node with two children (004's theta_2)?"""
    tr = ad.trace(C004, THETA)
    getitems = [n for n in tr.tape if n.prim == "getitem"]
    assert [n.params["index"] for n in getitems] == [0, 1, 2]


# --------------------------------------------------------------------------- 004 and 000


def test_004_gradient_closed_form_and_tables_values():
    """Does reverse mode give 004's gradient (1, pi/12 + e^7, e^7 - 2) at (pi/6, 2, 5)?"""
    g = ad.grad(C004)(THETA)
    expected = [1.0, np.pi / 12 + np.exp(7), np.exp(7) - 2]
    np.testing.assert_allclose(g, expected, rtol=1e-14)
    assert ad.trace(C004, THETA).value == pytest.approx(np.sqrt(3) / 2 + np.exp(7) - 10, rel=1e-15)
    # forward mode, Table 4.2: j = 2 gives the tangent pi/12 + e^7
    _, dot = ad.jvp(C004, (THETA,), (np.array([0.0, 1.0, 0.0]),))
    assert dot == pytest.approx(np.pi / 12 + np.exp(7), rel=1e-15)


def test_004_tables_reproduce_tables_4_1_to_4_3():
    """Do the tables carry 004's node numbering and the values derived by hand?"""
    tr = ad.trace(C004, THETA)
    primal = str(tr.primal_table())
    for cell in ["a₁ = θ₁ θ₂", "a₂ = θ₂ + θ₃", "a₃ = 2 θ₃", "a₄ = sin(a₁)", "a₅ = exp(a₂)", "a₆ = a₄ + a₅ - a₃",
                 "1.0472", "0.866025", "1096.63", "1087.5"]:
        assert nfc(cell) in primal
    forward = str(tr.forward_table((np.array([0.0, 1.0, 0.0]),)))
    for cell in ["ȧ₁ = θ₂ θ̇₁ + θ₁ θ̇₂", "ȧ₄ = cos(a₁) ȧ₁", "ȧ₅ = exp(a₂) ȧ₂", "ȧ₆ = ȧ₄ + ȧ₅ - ȧ₃",
                 "0.261799", "1096.89"]:
        assert nfc(cell) in forward
    reverse = str(tr.reverse_table())
    for cell in ["ζ₃ = -ζ₆", "ζ₁ = cos(a₁) ζ₄", "ζ₂ = exp(a₂) ζ₅", "∂C/∂θ₁ = θ₂ ζ₁",
                 "∂C/∂θ₂ = θ₁ ζ₁ + ζ₂", "∂C/∂θ₃ = ζ₂ + 2 ζ₃", "1094.63"]:
        assert nfc(cell) in reverse
    # the iterations of Table 4.3: zeta_6; zeta_3..5; zeta_1, zeta_2; the inputs
    labels = [row[0] for row in tr.reverse_table().rows]
    assert labels == ["start", "1", "1", "1", "2", "2", "3", "3", "3"]


def test_004_with_minus_two_as_a_constant_node_sums_like_the_book():
    """Written as a sum with a3 = -2 theta3, is node 6 the plain sum a4 + a5 + a3 of 004's text?"""
    C = lambda t: ad.sin(t[0] * t[1]) + ad.exp(t[1] + t[2]) + (-2) * t[2]
    text = str(ad.trace(C, THETA).reverse_table())
    assert "ζ₃ = ζ₆" in text and "∂C/∂θ₃ = ζ₂ - 2 ζ₃" in text and "a₃ = -2 θ₃" in str(ad.trace(C, THETA).primal_table())


def test_000_adjoints_closed_form():
    """Do the adjoints of 000's eq. (2.11) come out, v1bar = y/(1+e^{xy}), v2bar = x/(1+e^{xy})?"""
    for x, y in [(1.0, 2.0), (-0.7, 0.3), (2.5, -1.5)]:
        tr = ad.trace(f000, x, y, numbering="000")
        cts = tr._cotangents(1.0, keep=True)
        v3, v5 = x * y, 1 + math.exp(x * y)
        v = {n.index: c for n, c in zip(tr.tape, cts)}
        names = ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]
        adj = dict(zip(names, (v[i] for i in range(7))))
        assert adj["v7"] == 1 and adj["v6"] == -1
        assert adj["v5"] == pytest.approx(-1 / v5) and adj["v4"] == pytest.approx(-1 / v5)
        assert adj["v3"] == pytest.approx(1 - math.exp(v3) / v5)
        assert adj["v1"] == pytest.approx(y / (1 + math.exp(x * y)), rel=1e-14)
        assert adj["v2"] == pytest.approx(x / (1 + math.exp(x * y)), rel=1e-14)
    text = str(ad.trace(f000, 1.0, 2.0, numbering="000").reverse_table())
    for cell in ["v̄₆ = -v̄₇", "v̄₅ = (1 / v₅) v̄₆", "v̄₃ = exp(v₃) v̄₄ + v̄₇", "v̄₁ = v₂ v̄₃", "0.238406"]:
        assert nfc(cell) in text
    primal = str(ad.trace(f000, 1.0, 2.0, numbering="000").primal_table())
    assert "v₁ = x" in primal and "v₅ = 1 + v₄" in primal and "v₇ = v₃ - v₆" in primal


def test_reverse_table_rows_are_the_recursion():
    """Is each adjoint the sum over its children of local partial times child adjoint (4.31)?"""
    f = lambda x, y: x / y + x ** 3 - ad.tanh(y) * ad.sigmoid(x) + ad.softplus(x * y)
    tr = ad.trace(f, 1.5, 0.7)
    d = tr._graph()
    cts = tr._cotangents(1.0, keep=True)
    for n in d.order:
        if n.children:
            total = sum(pv * cts[c.node.index] for c, _, pv in n.children)
            assert total == pytest.approx(float(cts[n.node.index]), rel=1e-13)
    np.testing.assert_allclose(tr.vjp(1.0), [ad.numerical_derivative(lambda a: f(a, 0.7), 1.5),
                                             ad.numerical_derivative(lambda b: f(1.5, b), 0.7)], rtol=1e-8)


def test_tables_identical_across_runs_and_html():
    """Are the tables the same characters on every run, with a clean HTML <table>?"""
    runs = [ad.trace(C004, THETA) for _ in range(3)]
    for method in ("primal_table", "reverse_table"):
        texts = {str(getattr(t, method)()) for t in runs}
        htmls = {getattr(t, method)()._repr_html_() for t in runs}
        assert len(texts) == 1 and len(htmls) == 1
    html = runs[0].reverse_table()._repr_html_()
    assert html.startswith("<table>") and html.endswith("</table>")
    assert "ζ<sub>1</sub> = cos(a<sub>1</sub>) ζ<sub>4</sub>" in html
    assert "<script" not in html and "<style" not in html
    assert len({str(t.forward_table(([0, 1, 0],))) for t in runs}) == 1


def test_tables_refuse_array_graphs():
    """Do tables of array-valued graphs raise a clear error instead of printing nonsense?"""
    tr = ad.trace(lambda w: ad.sum(ad.tanh(w) * 2), np.ones(3))
    with pytest.raises(ValueError, match="scalars"):
        tr.primal_table()


# --------------------------------------------------------------------------- errors


def test_grad_of_non_scalar_output_raises():
    """Does grad refuse a vector output with a message pointing to vjp?"""
    with pytest.raises(TypeError, match="scalar output.*shape \\(3,\\)"):
        ad.grad(lambda x: ad.sin(x))(np.ones(3))


def test_bad_inputs_raise_clearly():
    """Do wrong tangents, cotangents, exponents and escaped traced values raise with clear messages?"""
    with pytest.raises(ValueError, match="Tangent 0 has shape"):
        ad.jvp(ad.sin, (np.ones(3),), (np.ones(2),))
    with pytest.raises(ValueError, match="one entry per primal"):
        ad.jvp(ad.sin, (1.0,), 1.0)
    with pytest.raises(ValueError, match="cotangent has shape"):
        ad.vjp(ad.sin, np.ones(3))[1](np.ones(2))
    with pytest.raises(TypeError, match="constant"):
        ad.grad(lambda x: x ** x)(2.0)
    leaked = []
    ad.grad(lambda x: leaked.append(x) or x * 2)(1.0)
    with pytest.raises(ValueError, match="finished trace"):
        ad.grad(lambda y: y * leaked[0])(1.0)
    with pytest.raises(TypeError, match="argnums"):
        ad.grad(ad.sin, argnums="0")


# --------------------------------------------------------------------------- parse_expression


def test_parse_expression_matches_python_function():
    """Does the widget's text front-end give the same gradient as the Python function?"""
    C = ad.parse_expression("sin(x1*x2) + exp(x2 + x3) - 2*x3", ["x1", "x2", "x3"])
    np.testing.assert_allclose(ad.grad(C, argnums=(0, 1, 2))(*THETA), ad.grad(C004)(THETA), rtol=1e-15)
    g = ad.parse_expression("x*y - log(1 + exp(x*y))", "x y")
    assert str(ad.trace(g, 1.0, 2.0, numbering="000").primal_table()) == \
        str(ad.trace(f000, 1.0, 2.0, numbering="000").primal_table())
    h = ad.parse_expression("-x**2 / 2 + pi * tanh(x) ** -1", "x")
    assert ad.grad(h)(0.8) == pytest.approx(-0.8 - np.pi / np.tanh(0.8) ** 2 * (1 - np.tanh(0.8) ** 2))


@pytest.mark.parametrize("text,match", [
    ("foo(x)", "Unknown function 'foo'"),
    ("__import__('os').system('ls')", "Unknown function|Only calls"),
    ("import os", "Not a valid expression"),
    ("x.real", "attribute access.*x.real"),
    ("(lambda: 1)()", "Only calls|lambda"),
    ("lambda: x", "lambda"),
    ("np.sin(x)", "Only calls.*np.sin"),
    ("z + 1", "Unknown name 'z'"),
    ("x ** y", "exponent"),
    ("x[0]", "indexing"),
    ("'a' + x", "Only numbers"),
    ("sin(x, y)", "exactly one"),
    ("x if x else y", "conditional"),
])
def test_parse_expression_rejects(text, match):
    """Does anything beyond numbers, variables, + - * / ** and the whitelisted calls raise ValueError?"""
    with pytest.raises(ValueError, match=match):
        ad.parse_expression(text, ["x", "y"])


# --------------------------------------------------------------------------- accurate local derivatives
# Oracle: mpmath at 60 digits (independent of numpy). Bound: relative error 1e-13, about 500 times
# what the rules' worst case needs (a few units of 2^-53 each, see course_lib.activations) and far
# below the errors of the cancelling forms they replace (1 - tanh^2 = 0 from |x| = 19 on).


def _mp_sigmoid(z):
    return 1 / (1 + mp.exp(-z))


def _mp_dsigmoid(z):
    return mp.exp(-z) / (1 + mp.exp(-z)) ** 2


def _rel(got, want):
    return float(abs((mp.mpf(float(got)) - want) / want))


SATURATED = [-700.0, -354.0, -40.0, -19.5, -7.6, -1e-9, 0.0, 3e-5, 0.7, 7.6, 14.8, 19.5, 37.0, 40.0, 354.0, 700.0]


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "softplus"])
def test_saturating_rules_keep_relative_accuracy(name):
    """Do the jvp and vjp rules of tanh, sigmoid and softplus give the derivative to 1e-13 relative
    at small, moderate and saturated arguments, scalars and arrays (no cancellation in 1 - a)?"""
    f = {"tanh": ad.tanh, "sigmoid": ad.sigmoid, "softplus": ad.softplus}[name]
    exact = {"tanh": lambda x: 1 / mp.cosh(x) ** 2, "sigmoid": _mp_dsigmoid, "softplus": _mp_sigmoid}[name]
    xs = [x for x in SATURATED if not (name == "tanh" and abs(x) > 354.0)]    # tanh'(700) is below 1e-600
    with mp.workdps(60):
        want = [exact(mp.mpf(x)) for x in xs]
        for x, w in zip(xs, want):
            _, back = ad.vjp(f, x)
            assert _rel(back(1.0)[0], w) <= 1e-13, f"vjp of {name} at {x}"
            assert _rel(ad.jvp(f, (x,), (1.0,))[1], w) <= 1e-13, f"jvp of {name} at {x}"
        _, back = ad.vjp(lambda v: ad.sum(f(v)), np.array(xs))
        assert max(_rel(g, w) for g, w in zip(back(1.0)[0], want)) <= 1e-13, f"vjp of {name} on an array"


def test_gradient_of_a_saturated_random_expression():
    """Does sigmoid(tanh(x - pi) + exp(2.526)**1.5), whose sigmoid is saturated (argument about 45),
    get its gradient 6.0e-22 at x = 5.66 to 1e-13 relative, in reverse and forward mode (the
    cancelling rule gave exactly 0)? Rounding the argument near 45 costs at most about 1e-14."""
    h = ad.parse_expression("sigmoid(tanh(x - pi) + exp(2.526)**1.5)", "x")
    x = 5.66
    with mp.workdps(60):
        t = mp.mpf(x) - mp.mpf(np.pi)                       # the program's pi and 2.526, as floats
        z = mp.tanh(t) + mp.exp(mp.mpf(2.526)) ** mp.mpf(1.5)
        want = _mp_dsigmoid(z) / mp.cosh(t) ** 2
        assert 5.95e-22 < want < 6.05e-22
        assert _rel(ad.grad(h)(x), want) <= 1e-13
        assert _rel(ad.jvp(h, (x,), (1.0,))[1], want) <= 1e-13


# --------------------------------------------------------------------------- numerical differences


def test_numerical_derivative_orders():
    """Is the central error O(h^2) and the forward error O(h) (004, eq. 4.26)?"""
    f, x0, exact = np.exp, 0.3, np.exp(0.3)
    e_c = [abs(ad.numerical_derivative(f, x0, h) - exact) for h in (1e-2, 1e-3)]
    e_f = [abs(ad.numerical_derivative(f, x0, h, scheme="forward") - exact) for h in (1e-2, 1e-3)]
    assert 80 < e_c[0] / e_c[1] < 120 and 8 < e_f[0] / e_f[1] < 12
    np.testing.assert_allclose(ad.numerical_derivative(lambda t: np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2],
                                                       THETA, 1e-5), ad.grad(C004)(THETA), rtol=1e-8)
    with pytest.raises(ValueError, match="scheme"):
        ad.numerical_derivative(f, x0, 1e-3, scheme="backward")
    with pytest.raises(ValueError, match="step h"):
        ad.numerical_derivative(f, x0, -1e-3)


# --------------------------------------------------------------------------- MLP


def _mlp_params(sizes, seed):
    rng = np.random.default_rng(seed)
    return [a for h_in, h_out in zip(sizes[:-1], sizes[1:])
            for a in (rng.normal(0, 1 / np.sqrt(h_in), (h_out, h_in)), rng.normal(0, 0.1, h_out))]


def _mlp_loss(X, y, act):
    def loss(*params):
        h = X
        for l in range(0, len(params), 2):
            u = h @ params[l].T + params[l + 1]
            h = act(u) if l + 2 < len(params) else u
        return ad.mean(ad.softmax_cross_entropy(h, y))
    return loss


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_mlp_gradient_matches_handwritten_backprop(activation):
    """Does reverse mode reproduce course_lib.backprop's gradient (64-256-256-10, batch 128) to 1e-10?"""
    sizes, B = (64, 256, 256, 10), 128
    params = _mlp_params(sizes, seed=1)
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(B, 64)), rng.integers(0, 10, B)
    act = {"tanh": ad.tanh, "relu": ad.relu}[activation]
    value, grads = ad.value_and_grad(_mlp_loss(X, y, act), argnums=tuple(range(6)))(*params)
    layers = [bp.Layer(params[i], params[i + 1]) for i in range(0, 6, 2)]
    ref_value, ref = bp.backprop(layers, X, y, activation)
    assert value == pytest.approx(ref_value, rel=1e-12)
    for g, r in zip(grads, [a for layer in ref for a in (layer.W, layer.b)]):
        assert g.shape == r.shape
        assert np.max(np.abs(g - r)) <= 1e-10 * np.max(np.abs(r))


def test_mlp_jvp_vjp_adjoint_identity_and_finite_differences():
    """Do forward and reverse mode agree on a small MLP loss (<u, J v> = <J^T u, v>, and FD)?"""
    params = _mlp_params((4, 6, 5, 3), seed=3)
    X, y = RNG.normal(size=(7, 4)), RNG.integers(0, 3, 7)
    check_grads(_mlp_loss(X, y, ad.tanh), *params, rtol=1e-6, atol=1e-8)
