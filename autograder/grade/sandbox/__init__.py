"""Running a submission confined: the sandbox a kernel starts in (`box`), the one step that runs
student code (`execute`), and spreading that work over processes or a Dask cluster (`parallel`)."""
