"""The same FFT convolution normalised with `image = image / image.max()`: max()'s input is left alone."""
import torch

torch.manual_seed(0)
obj = torch.rand(1, 3, 8, 8, requires_grad=True)
psf = torch.rand(1, 3, 8, 8)
spectrum = torch.fft.rfftn(obj, dim=(-2, -1)) * torch.fft.rfftn(psf, dim=(-2, -1))
image = torch.fft.irfftn(spectrum, s=(8, 8), dim=(-2, -1))
image = image / image.max()
image.sum().backward()
print("image[0, 0, 0]:", [round(v, 4) for v in image[0, 0, 0].tolist()])
print("obj.grad[0, 0, 0]:", [round(v, 4) for v in obj.grad[0, 0, 0].tolist()])
