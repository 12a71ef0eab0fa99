"""The type stubs (__init__.pyi) name every public function, class and
Policy member the package has, and every one has a docstring."""

import ast
import pathlib

import optscale


def stub_tree():
    return ast.parse((pathlib.Path(optscale.__file__).parent / "__init__.pyi").read_text())


def test_the_stubs_cover_the_public_api():
    top = {node.name for node in stub_tree().body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert set(optscale.__all__) <= top
    for name in optscale.__all__:
        assert getattr(optscale, name).__doc__, name


def test_the_stubs_cover_every_policy_and_predictor_member():
    classes = {node.name: node for node in stub_tree().body if isinstance(node, ast.ClassDef)}
    for cls in (optscale.Policy, optscale.Predictor):
        stubbed = {n.name for n in classes[cls.__name__].body if isinstance(n, ast.FunctionDef)}
        public = {n for n in dir(cls) if not n.startswith("_")}
        assert public <= stubbed, public - stubbed
