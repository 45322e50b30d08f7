# Chapter 07's latent-size study: the VAE's test negative ELBO and its two
# terms against the size of its code:
#   gnuplot -c plots/latent-size.gp LATENT-SIZE.csv OUT
# LATENT-SIZE.csv: z_dims,test_nelbo,recon,kl,seconds. OUT is a .png file,
# or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
eval output(out, 900, 520, 78, 24)
set key below
set title "the VAE's two terms against the size of its code (test digits)"
set xlabel "latent dimensions Z (log scale)"
set logscale x
set xtics (2, 5, 10, 20, 50)
set xrange [1.6:62]
eval ylabel(out, "nats per image")
eval padded_columns(quoted(csv), "test_nelbo recon kl", 1)
curve(col, name, i) = sprintf('"%s" using "z_dims":"%s" %s title "%s"', csv, col, \
                              curve_style(out, i), name)
eval "plot " . curve("test_nelbo", "negative ELBO", 1) . ", " . \
     curve("recon", "reconstruction", 2) . ", " . curve("kl", "KL", 3)
eval record(out)
