"""An FFT convolution normalised with `image /= image.max()`: max() kept the image it reduced.

torch.fft.rfftn and irfftn carry the gradient to the image; max() without a dim keeps its input for backward, and
the in-place division changes it. Pattern seen in optics simulations differentiated through.
"""
import torch

torch.manual_seed(0)
obj = torch.rand(1, 3, 8, 8, requires_grad=True)
psf = torch.rand(1, 3, 8, 8)
spectrum = torch.fft.rfftn(obj, dim=(-2, -1)) * torch.fft.rfftn(psf, dim=(-2, -1))
image = torch.fft.irfftn(spectrum, s=(8, 8), dim=(-2, -1))
image /= image.max()  # expect GG201
image.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("image[0, 0, 0]:", [round(v, 4) for v in image[0, 0, 0].tolist()])
print("obj.grad[0, 0, 0]:", [round(v, 4) for v in obj.grad[0, 0, 0].tolist()])
