# %% +md intro
<script>document.title = "pwned-script"</script>
<img src="x" onerror="document.title = 'pwned-img'">
[a link](javascript:document.title='pwned-link')
<iframe src="https://example.com/pwned-frame"></iframe>
My answer to (c): the top eigen-direction blows up.
